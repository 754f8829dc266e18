using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.MailIn;

/// <summary>
/// The answers to a key-update mail that sends no challenge, encrypted to the member's current key, in the list's
/// language (resources <c>KeyUpdateMail…</c>). They never quote the mail.
/// </summary>
public static class KeyUpdateMailText
{
    /// <summary>The request was turned away; <paramref name="reason"/> is the judgement in one line (as <c>member add</c> words it).</summary>
    public static MinutesDocument Refused(MailingList list, string reason)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeyUpdateMailRefused", list.DisplayName, list.Address, reason).Blank().Say("KeyUpdateMailHowTo", list.Address);
        }

        return notice.ToLocalizedDocument("KeyUpdateMailRefusedSubject", list.DisplayName);
    }

    /// <summary>The key sent was a newer copy of the pinned one (an extended expiry, a new subkey): merged at once.</summary>
    public static MinutesDocument Merged(MailingList list, KeyImport judged)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("KeyUpdateMailMerged", list.DisplayName, judged.Member.Fingerprint.Grouped,
                judged.Key.Expires is { } expires ? expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "-");
        }

        return notice.ToLocalizedDocument("KeyUpdateMailMergedSubject", list.DisplayName);
    }
}
