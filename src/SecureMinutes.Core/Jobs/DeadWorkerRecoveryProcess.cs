using Hangfire.Server;

namespace SecureMinutes.Jobs;

/// <summary>Runs <see cref="DeadWorkerRecovery"/> every <see cref="DeadWorkerRecovery.Interval"/> inside a Hangfire server.</summary>
internal sealed class DeadWorkerRecoveryProcess(DeadWorkerRecovery recovery) : IBackgroundProcess
{
    public void Execute(BackgroundProcessContext context)
    {
        // Hangfire logs and restarts a process that throws (a database busy for a moment): the next pass catches up.
        recovery.RecoverAsync(context.StoppingToken).GetAwaiter().GetResult();
        context.Wait(DeadWorkerRecovery.Interval);
    }
}
