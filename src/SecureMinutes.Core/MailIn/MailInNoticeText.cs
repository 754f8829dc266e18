using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.MailIn;

/// <summary>The encrypted answer a member gets when their mail to the list was not distributed. It never quotes the mail.</summary>
public static class MailInNoticeText
{
    public static MinutesDocument Refused(MailingList list, string reason)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Votre message à la liste {list.Name} ({list.Address}) n'a PAS été distribué : {reason}.")
            .Line($"Pour envoyer un compte-rendu par courriel, il doit être chiffré pour la clé de la liste ET signé avec")
            .Line($"votre clé, et un·e admin doit vous avoir désigné·e preneur·se de notes.");
        notice.En.Line($"Your message to {list.Name} ({list.Address}) was NOT distributed: {reason}.")
            .Line($"To send minutes by mail, encrypt them to the list's key AND sign them with your key; an admin must")
            .Line($"also have made you a note-taker of the list.");
        return notice.ToDocument($"[{list.Name}] message non distribué", "message not distributed");
    }

    public static MinutesDocument FetchFailing(MailingList list, string reason)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"La boîte de réception de la liste {list.Name} ne peut plus être relevée : {reason}")
            .Line($"Les courriels attendent sur le serveur, rien n'est perdu. Corrigez le réglage, par exemple :")
            .Command($"secureminutes provider set-intake {list.Name} ...");
        notice.En.Line($"The intake mailbox of list {list.Name} cannot be fetched: {reason}")
            .Line($"Mail waits on the server, nothing is lost. Fix the setting (command above).");
        return notice.ToDocument($"[{list.Name}] relève du courrier en échec", "mail-in failing");
    }
}
