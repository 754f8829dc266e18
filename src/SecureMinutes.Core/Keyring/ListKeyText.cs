using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>The admins' notice when the list key is revoked, French then English.</summary>
public static class ListKeyText
{
    public static MinutesDocument Revoked(MailingList list, string comment)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"La clé de la liste {list.Name} ({list.KeyFingerprint.Grouped}) a été révoquée : {comment}")
            .Line($"Plus rien n'est envoyé (ni signé avec elle) ; les envois en attente le restent. Créez la nouvelle clé :")
            .Command($"secureminutes list key rotate {list.Name}")
            .Line($"Elle est annoncée aux membres avec l'ancienne clé révoquée, et les envois reprennent.");
        notice.En.Line($"The key of list {list.Name} ({list.KeyFingerprint.Grouped}) was revoked: {comment}")
            .Line($"Nothing is sent (or signed with it) any more; pending copies stay queued. Create the new key with the command above:")
            .Line($"it is announced to members together with the revoked key, and sending resumes.");
        return notice.ToDocument($"[{list.Name}] clé de la liste révoquée", "list key revoked");
    }
}
