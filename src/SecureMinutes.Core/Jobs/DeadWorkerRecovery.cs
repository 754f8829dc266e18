using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Lets the work of a crashed worker (kill -9, power cut, OOM) resume within seconds instead of waiting for
/// Hangfire's invisibility timeout (10 min by default; the SQLite storage has no sliding invisibility) and
/// the copies' claim lease (3 min). A worker is known dead when it ran on this machine and its process is
/// gone (<see cref="WorkerIdentity.IsGoneFromThisHost"/>, so a restart recovers at once), or when its Hangfire
/// server has not beaten for <see cref="SilenceMeansDead"/>. Its processing jobs are enqueued again, its
/// batch leases and copy claims released, and its server record removed. A copy it may have handed to the
/// provider just before dying is the one that can arrive twice: at most one per batch it had in flight.
/// Runs when a server starts and then every <see cref="Interval"/> inside every server.
/// </summary>
public sealed partial class DeadWorkerRecovery(JobStorage storage, IBackgroundJobClient jobs, DeliveryStore deliveries, BatchLeaseStore leases,
    TimeProvider time, ILogger<DeadWorkerRecovery> logger)
{
    /// <summary>How often running servers look for dead ones.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A server of another machine is dead after this much silence. Servers beat every
    /// <see cref="HeartbeatInterval"/>; a live one under heavy load can be late by tens of seconds, and
    /// declaring it dead too early would send its in-flight copies twice.
    /// </summary>
    public static readonly TimeSpan SilenceMeansDead = TimeSpan.FromMinutes(2);

    /// <summary>The heartbeat of our servers (Hangfire's default is 30 s).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>One pass; returns the dead workers whose work was released.</summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var monitoring = storage.GetMonitoringApi();
        var servers = monitoring.Servers();
        var deadServers = servers.Where(s => IsDead(s.Name, s.Heartbeat, now)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var liveServers = servers.Select(s => s.Name).Where(n => !deadServers.Contains(n)).ToHashSet(StringComparer.Ordinal);

        // Claims and leases name processes; a process without a live server that is gone from this machine is dead too
        // (its server record may already have been removed).
        var deadWorkers = deadServers.Select(WorkerIdentity.FromServerId).OfType<string>()
            .Concat((await deliveries.ClaimantsAsync(cancellationToken)).Concat(await leases.OwnersAsync(cancellationToken))
                .Where(w => w != WorkerIdentity.Current && WorkerIdentity.IsGoneFromThisHost(w)))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var worker in deadWorkers)
        {
            var claims = await deliveries.ReleaseClaimsOfAsync(worker, now, cancellationToken);
            var released = await leases.ReleaseAllOfAsync(worker, cancellationToken);
            LogReleased(logger, worker, claims, released);
        }

        RequeueOrphanedJobs(monitoring, liveServers);
        using (var connection = storage.GetConnection())
        {
            foreach (var server in deadServers)
            {
                connection.RemoveServer(server);
            }
        }

        return deadWorkers;
    }

    /// <summary>Jobs shown as processing on a server that is not alive are enqueued again (only if still processing).</summary>
    private void RequeueOrphanedJobs(Hangfire.Storage.IMonitoringApi monitoring, HashSet<string> liveServers)
    {
        const int Page = 500;
        var orphaned = new List<string>();
        for (var from = 0; ; from += Page)
        {
            var page = monitoring.ProcessingJobs(from, Page);
            orphaned.AddRange(page.Where(j => j.Value is { ServerId: { } server } && !liveServers.Contains(server)).Select(j => j.Key));
            if (page.Count < Page)
            {
                break;
            }
        }

        foreach (var jobId in orphaned)
        {
            if (jobs.ChangeState(jobId, new EnqueuedState { Reason = "its worker stopped; resumed by another" }, ProcessingState.StateName))
            {
                LogRequeued(logger, jobId);
            }
        }
    }

    private static bool IsDead(string serverId, DateTime? heartbeat, DateTimeOffset now)
    {
        if (WorkerIdentity.FromServerId(serverId) is { } identity && identity != WorkerIdentity.Current && WorkerIdentity.IsGoneFromThisHost(identity))
        {
            return true;
        }

        return heartbeat is { } beat && now - new DateTimeOffset(DateTime.SpecifyKind(beat, DateTimeKind.Utc)) > SilenceMeansDead;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} is gone: {Claims} claimed copies queued again, {Leases} batch leases released")]
    private static partial void LogReleased(ILogger logger, string worker, int claims, int leases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of a stopped worker enqueued again")]
    private static partial void LogRequeued(ILogger logger, string jobId);
}
