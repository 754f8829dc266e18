using Hangfire;
using Hangfire.Common;

namespace SecureMinutes.Jobs;

/// <summary>
/// Starts Hangfire servers that process this installation's jobs: with this service provider's storage,
/// filters and activator, never Hangfire's process-wide <c>JobStorage.Current</c>/<c>JobActivator.Current</c>.
/// Used by <c>serve</c> and <c>worker</c> (through <see cref="JobServerHost"/>) and by <c>submit --wait</c>
/// when no server is running.
/// </summary>
public sealed class JobServerFactory(JobStorage storage, IJobFilterProvider filters, JobActivator activator, JobOptions options, DeadWorkerRecovery recovery)
{
    /// <summary>
    /// Starts a server named after <paramref name="role"/> (serve, worker, submit) and this process, with
    /// <see cref="DeadWorkerRecovery"/> running in it; dispose it to stop.
    /// </summary>
    public BackgroundJobServer Start(string role) => new(Options(role), storage, [new DeadWorkerRecoveryProcess(recovery)]);

    /// <summary>The options of a server for <paramref name="role"/>: worker count and polling from <see cref="JobOptions"/>.</summary>
    public BackgroundJobServerOptions Options(string role) => new()
    {
        WorkerCount = options.WorkerCount,
        SchedulePollingInterval = options.SchedulePollingInterval,
        // The process's identity in the name lets a restarted worker on this machine know at once that this one died.
        ServerName = $"secureminutes-{role}@{WorkerIdentity.Current}",
        HeartbeatInterval = DeadWorkerRecovery.HeartbeatInterval,
        ShutdownTimeout = TimeSpan.FromSeconds(15),
        FilterProvider = filters,
        Activator = activator,
        TimeZoneResolver = new DefaultTimeZoneResolver(),
    };
}
