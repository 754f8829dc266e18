using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.MailIn;

/// <summary>
/// The encrypted answer a member gets when their mail to the list was not distributed (it never quotes the mail),
/// and the admins' notice when the intake mailbox cannot be fetched. In the list's language, words from <c>NoticeResources</c>.
/// </summary>
public static class MailInNoticeText
{
    public static MinutesDocument Refused(MailingList list, string reason)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("MailInRefused", list.Name, list.Address, reason);
        }

        return notice.ToLocalizedDocument("MailInRefusedSubject", list.Name);
    }

    public static MinutesDocument FetchFailing(MailingList list, string reason)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("MailInFailing", list.Name, reason).Command($"secureminutes provider set-intake {list.Name} ...");
        }

        return notice.ToLocalizedDocument("MailInFailingSubject", list.Name);
    }
}
