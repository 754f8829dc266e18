using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Storage;

namespace SecureMinutes.Cli;

/// <summary>The end of a submission, and why it stopped if it did not finish.</summary>
public sealed record WaitOutcome(SubmissionStatus Status, string? PausedReason);

/// <summary>
/// Waits for every copy of a submission to be final. When no <c>serve</c>/<c>worker</c> process is alive,
/// it runs a Hangfire server in this process for as long as it waits, so <c>submit --wait</c> works alone.
/// While waiting it reads only the copies' counts by state (one grouped query, whatever the list's size); the copies
/// themselves are read once, at the end, for the report.
/// </summary>
public sealed class SubmissionWaiter(DistributionService distribution, SubmissionStore submissions, DeliveryStore deliveries, ListStore lists,
    JobStorage storage, JobServerFactory servers, TimeProvider time)
{
    /// <summary>Is a <c>serve</c> or <c>worker</c> process processing this installation's jobs?</summary>
    public bool ServerRunning => JobServers.AnyAlive(storage, time.GetUtcNow());

    public async Task<WaitOutcome> WaitAsync(string submissionId, IProgress<WorkProgress>? progress, CancellationToken cancellationToken)
    {
        BackgroundJobServer? ownServer = null;
        try
        {
            var submission = await submissions.GetAsync(submissionId.Trim(), cancellationToken);
            while (true)
            {
                var counts = await deliveries.CountAsync(submission.Id, cancellationToken);
                var final = counts.Where(c => c.Key.IsFinal()).Sum(c => c.Value);
                var total = counts.Values.Sum();
                var note = submission.SendAt > time.GetUtcNow() ? FormattableString.Invariant($"sends at {submission.SendAt.ToLocalTime():yyyy-MM-dd HH:mm}") : null;
                progress?.Report(new WorkProgress(final, total, note));
                if (final == total)
                {
                    if (ownServer is not null)
                    {
                        // Let follow-up work this submission caused (an admin notice) go out before stopping.
                        await DrainAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    }

                    return new WaitOutcome(await distribution.StatusAsync(submission.Id, cancellationToken), null);
                }

                var list = await lists.GetAsync(submission.ListId, cancellationToken);
                if (list.IsPaused)
                {
                    return new WaitOutcome(await distribution.StatusAsync(submission.Id, cancellationToken), list.PausedReason);
                }

                if (ownServer is null && !ServerRunning)
                {
                    ownServer = servers.Start("submit");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            }
        }
        finally
        {
            ownServer?.Dispose();
        }
    }

    private async Task DrainAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && (monitoring.EnqueuedCount("default") > 0 || monitoring.ProcessingCount() > 0))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
    }
}
