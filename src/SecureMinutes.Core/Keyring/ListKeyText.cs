using System.Globalization;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Keyring;

/// <summary>The admins' notice when the list key is revoked, French then English.</summary>
public static class ListKeyText
{
    public static MinutesDocument Revoked(MailingList list, string comment)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"La clé de la liste {list.Name} ({list.KeyFingerprint.Grouped}) a été révoquée : {comment}");
        text.AppendLine("Plus rien n'est envoyé (ni signé avec elle) ; les envois en attente le restent. Créez la nouvelle clé :");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes list key rotate {list.Name}");
        text.AppendLine("Elle est annoncée aux membres avec l'ancienne clé révoquée, et les envois reprennent.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The key of list {list.Name} ({list.KeyFingerprint.Grouped}) was revoked: {comment}");
        text.AppendLine("Nothing is sent (or signed with it) any more; pending copies stay queued. Create the new key with the command above:");
        text.AppendLine("it is announced to members together with the revoked key, and sending resumes.");
        return new MinutesDocument($"[{list.Name}] clé de la liste révoquée / list key revoked", text.ToString());
    }
}
