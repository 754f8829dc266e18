using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>What should happen to a batch after one delivery attempt.</summary>
public abstract record BatchNext
{
    private BatchNext()
    {
    }

    /// <summary>Nothing more for this batch: every copy is final, or the list is paused (resuming it distributes again).</summary>
    public sealed record Done : BatchNext;

    /// <summary>Come back at <paramref name="At"/> (daily cap, a far send slot): waiting is not a failed attempt, no retry is used.</summary>
    public sealed record RunAgainAt(DateTimeOffset At) : BatchNext;

    /// <summary>Some copies were deferred (4xx, lost connection): try again after the next retry delay.</summary>
    public sealed record Retry(string Reason) : BatchNext;
}

/// <summary>
/// One attempt at one batch of a submission, and the decision that follows (<see cref="BatchNext"/>): login or TLS
/// refusals pause the list instead of burning retries; a used-up sending quota pauses it until the quota should
/// be back; the daily cap and far send slots bring the batch back later; deferred copies are retried with
/// backoff (<see cref="DeliveryOptions.RetryDelays"/>) and, after the last retry, failed with the provider's answer.
/// </summary>
public sealed class BatchDelivery(SubmissionStore submissions, ListStore lists, DeliveryStore deliveries, DeliveryRunner runner,
    ListPause pause, SubmissionCompletion completion, DeliveryOptions options, TimeProvider time, BatchLeaseStore leases)
{
    /// <summary>Runs <paramref name="batch"/> of <paramref name="submissionId"/>; <paramref name="attempt"/> is 0 the first time, then the retry number.</summary>
    public async Task<BatchNext> DeliverAsync(string submissionId, int batch, int attempt, CancellationToken cancellationToken)
    {
        if (await submissions.FindAsync(submissionId, cancellationToken) is not { } submission)
        {
            return new BatchNext.Done();
        }

        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        if (list.IsPaused)
        {
            return new BatchNext.Done();
        }

        // One run per batch at a time: a second fetch of this job waits here, then finds only what is left.
        await using var lease = await BatchLease.TakeAsync(leases, submission.Id, batch, options, time, cancellationToken);
        var result = await runner.RunAsync(submission, list, batch, cancellationToken: cancellationToken);
        switch (result.Stop)
        {
            case DeliveryStop.NeedsAdmin refused:
                await pause.PauseAsync(list, refused.Reason, cancellationToken);
                return new BatchNext.Done();
            case DeliveryStop.QuotaExceeded quota:
                // Every batch would only be refused again: the list pauses and resumes by itself when the quota
                // should be back (admins can resume earlier).
                await pause.PauseUntilAsync(list, quota.Reason, time.GetUtcNow() + (quota.RetryAfter ?? TimeSpan.FromHours(24)), cancellationToken);
                return new BatchNext.Done();
            case DeliveryStop.ResumeAt later:
                return new BatchNext.RunAgainAt(later.At);
        }

        var pending = await deliveries.PendingMemberIdsAsync(submission.Id, batch, cancellationToken);
        if (pending.Count > 0)
        {
            if (attempt < options.RetryDelays.Count)
            {
                return new BatchNext.Retry($"{pending.Count} copies of {submission.Id} batch {batch} were deferred; retry {attempt + 1} of {options.RetryDelays.Count}");
            }

            await deliveries.GiveUpAsync(submission.Id, batch, $"gave up after {attempt + 1} attempts", time.GetUtcNow(), cancellationToken);
        }

        await completion.CompleteIfDoneAsync(submission, cancellationToken);
        return new BatchNext.Done();
    }
}
