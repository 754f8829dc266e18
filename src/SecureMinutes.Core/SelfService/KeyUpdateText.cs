using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.SelfService;

/// <summary>The mails of a key update, in the list's language (resources <c>KeyUpdate…</c>).</summary>
public static class KeyUpdateText
{
    /// <summary>The challenge, encrypted to the new key: its link proves the member holds it.</summary>
    public static MinutesDocument Challenge(MailingList list, KeyUpdate update, Uri link, TimeSpan lifetime)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeyUpdateChallenge", list.DisplayName, list.Address, update.Fingerprint.Grouped).Blank()
                .Say("KeyUpdateChallengeLink", Hours(lifetime)).Say("MemberLinkLine", link).Blank()
                .Say("KeyUpdateNotYou");
        }

        return notice.ToLocalizedDocument("KeyUpdateChallengeSubject", list.DisplayName);
    }

    /// <summary>The confirmation asked of the old key (encrypted to it, like any mail to the member).</summary>
    public static MinutesDocument OldKeyConfirmation(MailingList list, KeyUpdate update, Keys.Fingerprint current, Uri link, TimeSpan lifetime)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeyUpdateOld", list.DisplayName, update.Fingerprint.Grouped, current.Grouped).Blank()
                .Say("KeyUpdateOldLink", Hours(lifetime)).Say("MemberLinkLine", link).Blank()
                .Say("KeyUpdateOldNotYou");
        }

        return notice.ToLocalizedDocument("KeyUpdateOldSubject", list.DisplayName);
    }

    /// <summary>To the list's admins: a proven new key whose old key could not confirm.</summary>
    public static MinutesDocument AwaitingAdmin(MailingList list, KeyUpdate update, Keys.Fingerprint current)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeyUpdateAwaiting", list.Name, update.Fingerprint.Grouped, current.Grouped).Say("KeyUpdateAwaitingAction");
        }

        return notice.ToLocalizedDocument("KeyUpdateAwaitingSubject", list.Name);
    }

    private static int Hours(TimeSpan lifetime) => (int)Math.Round(lifetime.TotalHours);
}
