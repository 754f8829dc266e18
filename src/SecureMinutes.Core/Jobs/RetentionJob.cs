using System.ComponentModel;
using SecureMinutes.Retention;

namespace SecureMinutes.Jobs;

/// <summary>Daily: shreds what outlived each list's retention and old job history (<see cref="Shredding.ApplyRetentionAsync"/>).</summary>
public sealed class RetentionJob(Shredding shredding)
{
    public const string RecurringId = "retention";

    [DisplayName("Shred minutes past their retention")]
    public Task RunAsync(CancellationToken cancellationToken) => shredding.ApplyRetentionAsync(cancellationToken);
}
