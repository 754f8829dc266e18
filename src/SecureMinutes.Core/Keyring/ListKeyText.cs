using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>The admins' notice when the list key is revoked, in the list's language (words from <c>NoticeResources</c>).</summary>
public static class ListKeyText
{
    public static MinutesDocument Revoked(MailingList list, string comment)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("ListKeyRevoked", list.Name, list.KeyFingerprint.Grouped, comment)
                .Command($"secureminutes list key rotate {list.Name}")
                .Say("ListKeyRevokedThen");
        }

        return notice.ToLocalizedDocument("ListKeyRevokedSubject", list.Name);
    }
}
