using System.ComponentModel;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's entry point, every few minutes, for the safety net that requeues forgotten submissions (<see cref="Sweep"/>).</summary>
public sealed class SweepJob(Sweep sweep)
{
    public const string RecurringId = "sweep";

    [DisplayName("Sweep for forgotten submissions")]
    public Task RunAsync(CancellationToken cancellationToken) => sweep.RequeueForgottenAsync(cancellationToken);
}
