using SecureMinutes.Lists;
using SecureMinutes.Notices;

namespace SecureMinutes.SelfService;

/// <summary>The footer every copy to a member ends with: their personal link, in the list's language (resource <c>MemberFooter</c>).</summary>
public static class MemberFooterText
{
    public static string For(MailingList list, Uri link, DateTimeOffset expiresAt)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("MemberFooter", list.Address, link, expiresAt.UtcDateTime);
        }

        return string.Concat(notice.Sections.Select(s => s.Text));
    }
}
