using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Splits a due submission's pending copies into batches of <see cref="DeliveryOptions.BatchSize"/> (one job and
/// one SMTP connection each: never one job per member, SQLite storage runs only ~30-100 jobs/s). Safe to run
/// again at any time: copies already in a batch keep it.
/// </summary>
public sealed class FanOut(SubmissionStore submissions, ListStore lists, MemberStore members, DeliveryStore deliveries,
    SubmissionCompletion completion, DeliveryOptions options, TimeProvider time)
{
    /// <summary>The batch numbers to deliver; none when the submission is gone or cancelled, its list paused, or every copy final.</summary>
    public async Task<IReadOnlyList<int>> PlanBatchesAsync(string submissionId, CancellationToken cancellationToken)
    {
        if (await submissions.FindAsync(submissionId, cancellationToken) is not { } submission || submission.CancelledAt is not null)
        {
            return [];
        }

        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        if (list.IsPaused)
        {
            return []; // Resuming the list distributes its unfinished submissions again.
        }

        if (submission.Kind == SubmissionKind.Minutes)
        {
            // "Send at 22:00" goes to everyone on the list at 22:00, including members added since submitting.
            var now = time.GetUtcNow();
            var newcomers = (await members.ListAsync(list.Id, cancellationToken)).Where(m => m.AddedAt <= submission.SendAt);
            await deliveries.AddAsync(newcomers.Select(m => DistributionService.NewCopy(submission.Id, m, list, now)), cancellationToken);
        }

        var batches = await deliveries.AssignBatchesAsync(submission.Id, options.BatchSize, cancellationToken);
        if (batches.Count == 0)
        {
            await completion.CompleteIfDoneAsync(submission, cancellationToken);
        }

        return batches;
    }
}
