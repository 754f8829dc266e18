using Hangfire;
using Hangfire.States;
using Hangfire.Storage;

namespace SecureMinutes.Retention;

/// <summary>
/// Drops Hangfire's history of finished jobs older than the retention. The history holds ids only (a submission's,
/// a list's), never content, but still says when each list sent; Hangfire expires succeeded and deleted jobs
/// after a day by itself, failed ones never. Works through Hangfire's storage API, so the same code serves its
/// SQLite and PostgreSQL storages: failed jobs are moved to Deleted, and every old finished job is given an
/// expiry of now, which the storage's expiration manager (run by every job server) acts on at its next pass.
/// </summary>
public sealed class JobHistoryPurge(JobStorage storage, IBackgroundJobClient jobs)
{
    private const int Page = 500;

    /// <summary>Expires the succeeded, failed and deleted jobs that finished before <paramref name="before"/>; returns how many.</summary>
    public int Purge(DateTimeOffset before)
    {
        var cutoff = before.UtcDateTime;
        var monitoring = storage.GetMonitoringApi();
        var old = new List<string>();
        foreach (var (id, failedAt) in Pages(from => monitoring.FailedJobs(from, Page).Select(j => (j.Key, j.Value.FailedAt))))
        {
            if (failedAt < cutoff && jobs.Delete(id, FailedState.StateName))
            {
                old.Add(id);
            }
        }

        old.AddRange(Pages(from => monitoring.SucceededJobs(from, Page).Select(j => (j.Key, j.Value.SucceededAt)))
            .Where(j => j.At < cutoff).Select(j => j.Id));
        old.AddRange(Pages(from => monitoring.DeletedJobs(from, Page).Select(j => (j.Key, j.Value.DeletedAt)))
            .Where(j => j.At < cutoff).Select(j => j.Id));
        var expiring = old.Distinct(StringComparer.Ordinal).ToList();
        if (expiring.Count == 0)
        {
            return 0;
        }

        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        foreach (var id in expiring)
        {
            transaction.ExpireJob(id, TimeSpan.Zero);
        }

        transaction.Commit();
        return expiring.Count;
    }

    /// <summary>Every item of a monitoring list, read a page at a time (the lists are read in full before any is changed).</summary>
    private static List<(string Id, DateTime? At)> Pages(Func<int, IEnumerable<(string, DateTime?)>> page)
    {
        var all = new List<(string, DateTime?)>();
        for (var from = 0; ; from += Page)
        {
            var items = page(from).ToList();
            all.AddRange(items);
            if (items.Count < Page)
            {
                return all;
            }
        }
    }
}
