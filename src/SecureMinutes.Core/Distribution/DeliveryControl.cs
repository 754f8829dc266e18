using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// What a person may do to a submission after sending it: try again the copies that failed for good (once the cause
/// is fixed: a full mailbox emptied, a typo in an address corrected), or cancel a scheduled send before its time.
/// Both are conditional updates, so they cannot race a delivery into sending a copy twice or half a cancellation.
/// </summary>
public sealed class DeliveryControl(SubmissionStore submissions, DeliveryStore deliveries, DistributionService distribution, TimeProvider time)
{
    /// <summary>
    /// Queues again every copy that failed for good, and distributes them; returns how many. Copies skipped for an
    /// unusable key are not retried here: they are queued again by themselves when the member's key is fixed.
    /// </summary>
    /// <exception cref="UserFacingException">The submission was cancelled.</exception>
    public async Task<int> RetryFailedAsync(string submissionId, string actor, CancellationToken cancellationToken = default)
    {
        var submission = await submissions.GetAsync(submissionId, cancellationToken);
        if (submission.CancelledAt is not null)
        {
            throw new UserFacingException($"submission {submission.Id} was cancelled: nothing of it is sent any more");
        }

        if (submission.ShreddedAt is not null)
        {
            throw new ContentShreddedException(submission);
        }

        var count = await deliveries.RequeueFailedAsync(submission.Id, $"queued again by {actor}", time.GetUtcNow(), cancellationToken);
        if (count > 0)
        {
            await submissions.ReopenAsync(submission.Id, cancellationToken);
            distribution.Queue(submission);
        }

        return count;
    }

    /// <summary>
    /// Cancels a send whose time has not come: no copy of it will be sent. Returns false when there was nothing
    /// to cancel any more (cancelled already).
    /// </summary>
    /// <exception cref="UserFacingException">Its time has come: sending has started and copies may be delivered already.</exception>
    public async Task<bool> CancelAsync(string submissionId, string actor, CancellationToken cancellationToken = default)
    {
        var submission = await submissions.GetAsync(submissionId, cancellationToken);
        if (submission.CancelledAt is not null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!await submissions.TryCancelAsync(submission.Id, now, cancellationToken))
        {
            throw new UserFacingException($"submission {submission.Id} is being sent already (since {submission.SendAt:yyyy-MM-dd HH:mm} UTC): it can no longer be cancelled");
        }

        await deliveries.CancelQueuedAsync(submission.Id, $"cancelled by {actor} before its time", now, cancellationToken);
        return true;
    }
}
