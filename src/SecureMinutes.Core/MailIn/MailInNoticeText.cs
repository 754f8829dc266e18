using System.Globalization;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.MailIn;

/// <summary>The encrypted answer a member gets when their mail to the list was not distributed. It never quotes the mail.</summary>
public static class MailInNoticeText
{
    public static MinutesDocument Refused(MailingList list, string reason)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Votre message à la liste {list.Name} ({list.Address}) n'a PAS été distribué : {reason}.");
        text.AppendLine("Pour envoyer un compte-rendu par courriel, il doit être chiffré pour la clé de la liste ET signé avec");
        text.AppendLine("votre clé, et un·e admin doit vous avoir désigné·e preneur·se de notes.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Your message to {list.Name} ({list.Address}) was NOT distributed: {reason}.");
        text.AppendLine("To send minutes by mail, encrypt them to the list's key AND sign them with your key; an admin must");
        text.AppendLine("also have made you a note-taker of the list.");
        return new MinutesDocument($"[{list.Name}] message non distribué / message not distributed", text.ToString());
    }

    public static MinutesDocument FetchFailing(MailingList list, string reason)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"La boîte de réception de la liste {list.Name} ne peut plus être relevée : {reason}");
        text.AppendLine("Les courriels attendent sur le serveur, rien n'est perdu. Corrigez le réglage, par exemple :");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes provider set-intake {list.Name} ...");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The intake mailbox of list {list.Name} cannot be fetched: {reason}");
        text.AppendLine("Mail waits on the server, nothing is lost. Fix the setting (command above).");
        return new MinutesDocument($"[{list.Name}] relève du courrier en échec / mail-in failing", text.ToString());
    }
}
