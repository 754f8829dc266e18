using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

/// <summary>
/// Pausing and resuming a list's sending. A paused list keeps every copy queued; resuming (an admin fixed
/// the provider) distributes all its unfinished submissions again.
/// </summary>
public sealed class ListPause(ListStore lists, SubmissionStore submissions, DistributionService distribution, IBackgroundJobClient jobs,
    AdminNotices notices, TimeProvider time)
{
    private const string SelfResuming = "; sending resumes by itself at ";

    /// <summary>The pause ends by itself (a provider quota): nothing for an admin to fix.</summary>
    public static bool ResumesByItself(string pausedReason) => pausedReason.Contains(SelfResuming, StringComparison.Ordinal);

    /// <summary>What to tell whoever sees a paused list.</summary>
    public static string Advice(string listName, string pausedReason) => ResumesByItself(pausedReason)
        ? $"nothing to fix; to resume earlier: secureminutes list resume {listName}"
        : $"fix the cause (provider set {listName} ...; secureminutes doctor {listName} shows it), then: secureminutes list resume {listName}";

    public async Task PauseAsync(MailingList list, string reason, CancellationToken cancellationToken)
    {
        if (await lists.PauseAsync(list.Id, reason, time.GetUtcNow(), cancellationToken))
        {
            // Queued for the admins: it goes out once the provider works again (a refused login cannot carry it).
            await notices.SendAsync(list, AdminNoticeText.Paused(list, reason), cancellationToken);
        }
    }

    /// <summary>
    /// Pauses until <paramref name="resumeAt"/> (a provider's sending quota is used up): a scheduled job resumes
    /// the list then, unless an admin resumed it first or it was paused again for another reason meanwhile.
    /// </summary>
    public async Task PauseUntilAsync(MailingList list, string reason, DateTimeOffset resumeAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fullReason = FormattableString.Invariant($"{reason}{SelfResuming}{resumeAt:yyyy-MM-dd HH:mm} UTC");
        if (await lists.PauseAsync(list.Id, fullReason, now, cancellationToken))
        {
            // PauseAsync stores the time in Unix milliseconds: that value identifies this pause.
            var pausedAt = now.ToUnixTimeMilliseconds();
            jobs.Schedule<ResumeListJob>(job => job.RunAsync(list.Id, pausedAt, CancellationToken.None), resumeAt);
            await notices.SendAsync(list, AdminNoticeText.PausedForQuota(list, reason, resumeAt), cancellationToken);
        }
    }

    /// <summary>Clears a pause (if any) and distributes the list's unfinished submissions; returns how many.</summary>
    public async Task<int> ResumeAsync(MailingList list, CancellationToken cancellationToken)
    {
        await lists.ResumeAsync(list.Id, cancellationToken);
        var unfinished = await submissions.UnfinishedDueIdsAsync(list.Id, time.GetUtcNow(), cancellationToken);
        foreach (var id in unfinished)
        {
            distribution.Queue(await submissions.GetAsync(id, cancellationToken));
        }

        return unfinished.Count;
    }
}
