using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.Keyring;

/// <summary>
/// The daily refresh of every list's keyring (<see cref="KeyRefresh"/>), and what its admins must hear of it:
/// keys revoked or otherwise lost, different keys published for a member, keys usable again. A lost key is
/// told once, whether this refresh or the lifecycle run (<see cref="KeyLifecycle"/>) sees it first.
/// </summary>
public sealed class DailyKeyRefresh(ListStore lists, KeyRefresh refresh, AdminNotices notices, KeyNoticeStore told, TimeProvider time)
{
    public const string Actor = "refresh job";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            var report = await refresh.RefreshAsync(list, Actor, cancellationToken);
            var lost = new List<MemberRefresh>();
            foreach (var member in report.Members.Where(m => m.LostUsability))
            {
                if (KeyLifecycle.DeadKeyEvent(member.After) is not { } @event
                    || await told.TryClaimAsync(member.Member.Id, member.Member.Fingerprint, @event, time.GetUtcNow(), cancellationToken))
                {
                    lost.Add(member);
                }
            }

            var others = report.Members.Where(m => m.NewlySeenOtherKeys.Count > 0).ToList();
            var back = report.Members.Where(m => m.BecameUsable).ToList();
            if (lost.Count > 0 || others.Count > 0 || back.Count > 0)
            {
                await notices.SendAsync(list, RefreshNoticeText.ToAdmins(list, lost, others, back), cancellationToken);
            }
        }
    }
}
