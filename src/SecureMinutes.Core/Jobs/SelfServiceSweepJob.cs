using System.ComponentModel;
using SecureMinutes.SelfService;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's entry point, once a day, for <see cref="SelfServiceSweep"/>.</summary>
public sealed class SelfServiceSweepJob(SelfServiceSweep sweep)
{
    public const string RecurringId = "self-service-sweep";

    [DisplayName("Sweep expired join requests, personal links and key changes")]
    public Task RunAsync(CancellationToken cancellationToken) => sweep.RunAsync(cancellationToken);
}
