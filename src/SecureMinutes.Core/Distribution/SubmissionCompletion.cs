using SecureMinutes.Notices;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Notices when every copy of a submission is final, once, and tells the admins what went wrong; members whose key could
/// not receive the minutes are sent the keyless notice (<see cref="KeylessNotices"/>, at most one a week each).
/// </summary>
public sealed class SubmissionCompletion(DeliveryStore deliveries, SubmissionStore submissions, ListStore lists, AdminNotices notices,
    KeylessNotices keylessNotices, TimeProvider time)
{
    public async Task CompleteIfDoneAsync(Submission submission, CancellationToken cancellationToken)
    {
        // Every batch asks; counting is cheap even for thousands of copies, listing them is not.
        var counts = await deliveries.CountAsync(submission.Id, cancellationToken);
        if (counts.Any(c => !c.Key.IsFinal() && c.Value > 0) || !await submissions.TryMarkFinishedAsync(submission.Id, time.GetUtcNow(), cancellationToken))
        {
            return;
        }

        var copies = await deliveries.ListAsync(submission.Id, cancellationToken);
        var problems = copies.Where(c => c.State is DeliveryState.FailedPermanent or DeliveryState.SkippedNoKey).ToList();
        if (submission.Kind == SubmissionKind.Minutes && problems.Count > 0)
        {
            var list = await lists.GetAsync(submission.ListId, cancellationToken);
            var told = await keylessNotices.QueueAsync(submission, problems, cancellationToken);
            await notices.SendAsync(list, AdminNoticeText.UndeliveredCopies(list, submission, copies.Count, problems, told), cancellationToken);
        }
    }
}
