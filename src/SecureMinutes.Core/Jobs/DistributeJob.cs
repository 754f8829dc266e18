using System.ComponentModel;
using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Fans a submission out: splits its pending copies into batches and enqueues one delivery job per batch
/// (never one job per member: SQLite storage runs only ~30-100 jobs/s). Safe to run again at any time.
/// </summary>
public sealed class DistributeJob(SubmissionStore submissions, ListStore lists, MemberStore members, DeliveryStore deliveries, IBackgroundJobClient jobs,
    DeliveryOptions options, SubmissionCompletion completion, TimeProvider time)
{
    [DisplayName("Distribute {0}")]
    public async Task RunAsync(string submissionId, CancellationToken cancellationToken)
    {
        var submission = await submissions.FindAsync(submissionId, cancellationToken);
        if (submission is null)
        {
            return;
        }

        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        if (list.IsPaused)
        {
            return; // Resuming the list distributes its unfinished submissions again.
        }

        if (submission.Kind == SubmissionKind.Minutes)
        {
            // "Send at 22:00" goes to everyone on the list at 22:00, including members added since submitting.
            var now = time.GetUtcNow();
            var newcomers = (await members.ListAsync(list.Id, cancellationToken)).Where(m => m.AddedAt <= submission.SendAt);
            await deliveries.AddAsync(newcomers.Select(m => DistributionService.NewCopy(submission.Id, m, list, now)), cancellationToken);
        }

        var batches = await deliveries.AssignBatchesAsync(submission.Id, options.BatchSize, cancellationToken);
        foreach (var batch in batches)
        {
            jobs.Enqueue<DeliverBatchJob>(job => job.RunAsync(submission.Id, batch, null, CancellationToken.None));
        }

        if (batches.Count == 0)
        {
            await completion.CompleteIfDoneAsync(submission, cancellationToken);
        }
    }
}
