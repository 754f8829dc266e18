using System.ComponentModel;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's entry point for catching a member up (<see cref="Redistribution"/>).</summary>
public sealed class RedistributionJob(Redistribution redistribution)
{
    [DisplayName("Catch up member {0}")]
    public Task RunAsync(long memberId, CancellationToken cancellationToken) => redistribution.CatchUpAsync(memberId, cancellationToken);
}
