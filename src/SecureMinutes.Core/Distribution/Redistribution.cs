using Hangfire;
using Microsoft.Extensions.Logging;
using SecureMinutes.Jobs;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Catches a member up: someone who joined later receives the list's latest minutes (as many as the
/// list's <c>redistribute_last</c>), and copies skipped because their key was unusable (or unverified on a
/// list that requires verified keys) go out as soon as a usable key is imported (or verified).
/// </summary>
public sealed partial class Redistribution(MemberStore members, ListStore lists, SubmissionStore submissions, DeliveryStore deliveries,
    DistributionService distribution, IBackgroundJobClient jobs, TimeProvider time, ILogger<Redistribution> logger)
{
    /// <summary>
    /// Catches <paramref name="memberId"/> up in the background (a member added, a key imported or verified):
    /// when a server runs, <see cref="CatchUpAsync"/> follows.
    /// </summary>
    public void Queue(long memberId) => jobs.Enqueue<RedistributionJob>(job => job.RunAsync(memberId, CancellationToken.None));

    /// <summary>Queues what <paramref name="memberId"/> should have (nothing when they are gone or have everything).</summary>
    public async Task CatchUpAsync(long memberId, CancellationToken cancellationToken)
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
                if (submission.ShreddedAt is not null)
                {
                    // Its content is gone (retention or purge): nothing to catch the member up with.
                    LogShreddedSkipped(logger, submission.Id, member.Id);
                    continue;
                }

                if (await deliveries.AddAsync([DistributionService.NewCopy(submission.Id, member, list, now)], cancellationToken) > 0)
                {
                    affected.Add(submission.Id);
                }
            }
        }

        foreach (var id in affected)
        {
            await submissions.ReopenAsync(id, cancellationToken);
            distribution.Queue(await submissions.GetAsync(id, cancellationToken));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: content shredded, not redistributed to member {MemberId}")]
    private static partial void LogShreddedSkipped(ILogger logger, string submissionId, long memberId);
}
