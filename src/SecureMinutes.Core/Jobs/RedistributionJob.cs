using System.ComponentModel;
using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Catches a member up: someone who joined later receives the list's latest minutes (as many as the
/// list's <c>redistribute_last</c>), and copies skipped because their key was unusable (or unverified on a
/// list that requires verified keys) go out as soon as a usable key is imported (or verified).
/// </summary>
public sealed class RedistributionJob(MemberStore members, ListStore lists, SubmissionStore submissions, DeliveryStore deliveries,
    SubmissionDispatcher dispatcher, TimeProvider time)
{
    [DisplayName("Catch up member {0}")]
    public async Task RunAsync(long memberId, CancellationToken cancellationToken)
    {
        var member = (await members.GetManyAsync([memberId], cancellationToken)).SingleOrDefault();
        if (member is null)
        {
            return;
        }

        var list = await lists.GetAsync(member.ListId, cancellationToken);
        var now = time.GetUtcNow();
        var affected = new HashSet<string>(StringComparer.Ordinal);
        if (DeliveryEligibility.Check(member, list, now).Refusal is null)
        {
            affected.UnionWith(await deliveries.RequeueSkippedAsync(member.Id, member.Fingerprint.Hex, now, cancellationToken));
        }

        if (list.RedistributeLast > 0)
        {
            var latest = await submissions.LatestAsync(list.Id, SubmissionKind.Minutes, list.RedistributeLast, cancellationToken);
            foreach (var submission in latest.Where(s => s.SendAt <= now))
            {
                if (await deliveries.AddAsync([DistributionService.NewCopy(submission.Id, member, list, now)], cancellationToken) > 0)
                {
                    affected.Add(submission.Id);
                }
            }
        }

        foreach (var id in affected)
        {
            await submissions.ReopenAsync(id, cancellationToken);
            var submission = await submissions.GetAsync(id, cancellationToken);
            dispatcher.Dispatch(submission);
        }
    }
}
