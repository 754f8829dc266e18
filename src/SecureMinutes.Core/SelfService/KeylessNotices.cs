using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.SelfService;

/// <summary>
/// Decides who gets the keyless notice for a finished minutes submission (issue 11): each member whose copy was skipped
/// because their key cannot receive encrypted mail (expired, revoked, no usable encryption subkey: not merely unverified),
/// at most once every <see cref="Interval"/>. Claims are compare-and-set rows (<see cref="KeylessNoticeStore"/>), so two
/// workers cannot both claim a member; the mails are then sent by one Hangfire job carrying the submission's id only
/// (<see cref="KeylessNoticeJob"/>, <see cref="KeylessNoticeSender"/>), retried like any delivery.
/// </summary>
public sealed class KeylessNotices(MemberStore members, KeylessNoticeStore store, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>A member gets at most one keyless notice in this time, whatever the number of minutes they miss.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromDays(7);

    /// <summary>
    /// Claims a notice for each member of <paramref name="skipped"/> (copies of <paramref name="submission"/>, a minutes
    /// submission, in state <see cref="DeliveryState.SkippedNoKey"/>) whose key cannot receive now, and queues their sending.
    /// Returns how many members were claimed (0: nobody, or all told within the week). Called once per submission, when it
    /// finishes (<see cref="SubmissionCompletion"/>).
    /// </summary>
    public async Task<int> QueueAsync(Submission submission, IReadOnlyList<Delivery> skipped, CancellationToken cancellationToken)
    {
        if (submission.Kind != SubmissionKind.Minutes)
        {
            return 0;
        }

        var ids = skipped.Where(c => c.State == DeliveryState.SkippedNoKey).Select(c => c.MemberId).Where(id => id > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var claimed = new List<long>();
        foreach (var member in await members.GetManyAsync(ids, cancellationToken))
        {
            // Judged now, not from the skip's reason: a member who updated their key meanwhile is sent the minutes instead,
            // and one skipped only because the list requires verified keys has a working key (admins verify it).
            if (!MemberKeys.StateOf(member, now).Status.CanReceive()
                && await store.TryClaimAsync(member.Id, submission.Id, now, now - Interval, cancellationToken))
            {
                claimed.Add(member.Id);
            }
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        try
        {
            jobs.Enqueue<KeylessNoticeJob>(job => job.RunAsync(submission.Id, CancellationToken.None));
        }
        catch
        {
            // Not queued: the next skipped minutes claim these members again rather than believing they were told.
            await store.ReleaseAsync(submission.Id, claimed, CancellationToken.None);
            throw;
        }

        return claimed.Count;
    }
}
