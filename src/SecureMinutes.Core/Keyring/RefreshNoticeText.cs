using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>What the daily refresh tells admins, in the list's language (words from <c>NoticeResources</c>).</summary>
public static class RefreshNoticeText
{
    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<MemberRefresh> lost, IReadOnlyList<MemberRefresh> others, IReadOnlyList<MemberRefresh> back)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Refresh", list.Name);
            if (lost.Count > 0)
            {
                section.Blank().Say("RefreshLost").SayItems(lost, "RefreshLostItem", m => [m.Member.Email, m.After.Problem ?? ""]);
            }

            if (others.Count > 0)
            {
                section.Blank().Say("RefreshOther").SayItems(others, "RefreshOtherItem",
                    m => [m.Member.Email, string.Join(", ", m.NewlySeenOtherKeys.Select(k => k.Hex)), m.Member.Fingerprint.Hex]);
            }

            if (back.Count > 0)
            {
                section.Blank().Say("RefreshBack").SayItems(back, "RefreshBackItem", m => [m.Member.Email, string.Join("; ", m.Changes)]);
            }
        }

        return notice.ToLocalizedDocument("RefreshSubject", list.Name);
    }
}
