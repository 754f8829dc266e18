using System.ComponentModel;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Daily: refreshes every list's keyring from keyservers and WKD (through each list's SOCKS5 proxy) and tells
/// the admins what needs them: keys revoked or otherwise lost, different keys published for a member.
/// </summary>
public sealed class KeyRefreshJob(ListStore lists, KeyRefresh refresh, AdminNotices notices, KeyNoticeStore told, TimeProvider time)
{
    public const string RecurringId = "keys-refresh";
    public const string Actor = "refresh job";

    [DisplayName("Refresh member keys")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            var report = await refresh.RefreshAsync(list, Actor, cancellationToken);
            var lost = new List<MemberRefresh>();
            foreach (var member in report.Members.Where(m => m.LostUsability))
            {
                // Recorded like the lifecycle job's own dead-key notices, so admins are not told twice.
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
