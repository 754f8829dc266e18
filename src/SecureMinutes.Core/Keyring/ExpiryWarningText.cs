using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>
/// The words of expiry warnings, in the list's language (from <c>NoticeResources</c>): to the member (how to extend
/// their key in Thunderbird, K-9/OpenKeychain or GnuPG and how the list gets the extended key) and the summary for the admins.
/// </summary>
public static class ExpiryWarningText
{
    public static MinutesDocument ToMember(MailingList list, Member member, DateTimeOffset expires, int daysLeft)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Expiry", member.Fingerprint.Grouped, expires.UtcDateTime, daysLeft, list.DisplayName, list.Address);
        }

        return notice.ToLocalizedDocument("ExpirySubject", daysLeft);
    }

    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<(Member Member, DateTimeOffset Expires, int DaysLeft)> warned,
        IReadOnlyList<(Member Member, string Problem)> suspended)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeysToRenew", list.Name);
            if (warned.Count > 0)
            {
                section.Blank().Say("KeysExpiringSoon")
                    .SayItems(warned, "KeyExpiringItem", w => [w.Member.Email, w.Member.Fingerprint.Hex, w.Expires.UtcDateTime, w.DaysLeft]);
            }

            if (suspended.Count > 0)
            {
                section.Blank().Say("KeysSuspended")
                    .SayItems(suspended, "KeySuspendedItem", s => [s.Member.Email, s.Problem])
                    .Blank()
                    .Say("KeysSuspendedAdvice", list.Name);
            }
        }

        return notice.ToLocalizedDocument("KeysToRenewSubject", list.Name);
    }
}
