using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Notices;

/// <summary>The words of notices to a list's admins about its deliveries, in French then English.</summary>
public static class AdminNoticeText
{
    public static MinutesDocument UndeliveredCopies(MailingList list, Submission submission, int total, IReadOnlyList<Delivery> problems)
    {
        var unverified = problems.Any(p => p.Detail?.Contains("requires verified keys", StringComparison.Ordinal) == true);
        var notice = new NoticeText();
        notice.Fr.Line($"Liste {list.Name} : {problems.Count} exemplaire(s) sur {total} de l'envoi {submission.Id} du {submission.CreatedAt:dd/MM/yyyy HH:mm} UTC n'ont pas été remis.")
            .Line($"Aucun n'a été envoyé en clair.")
            .Blank()
            .Items(problems, copy => $"{copy.Email} : {copy.State.ToText()} — {copy.Detail}")
            .Blank();
        notice.En.Line($"List {list.Name}: {problems.Count} of {total} copies of submission {submission.Id} of {submission.CreatedAt:yyyy-MM-dd HH:mm} UTC were not delivered.")
            .Line($"None was sent in clear.")
            .Blank()
            .Items(problems, copy => $"{copy.Email}: {copy.State.ToText()} — {copy.Detail}")
            .Blank();
        if (unverified)
        {
            notice.Fr.Line($"Clé non vérifiée : confirmez l'empreinte avec la personne (de vive voix, par un autre canal), puis")
                .Command($"secureminutes member verify {list.Name} ADRESSE --fingerprint EMPREINTE")
                .Blank();
            notice.En.Line($"Unverified key: confirm the fingerprint with the member out of band, then")
                .Command($"secureminutes member verify {list.Name} ADDRESS --fingerprint FINGERPRINT")
                .Blank();
        }

        notice.Fr.Line($"Clé inutilisable (skipped-no-key) : demandez à la personne sa clé publique à jour, puis")
            .Command($"secureminutes member add {list.Name} ADRESSE --key FICHIER   (+ --replace si c'est une autre clé)")
            .Line($"Elle recevra automatiquement ce qu'elle a manqué.");
        notice.En.Line($"Unusable key (skipped-no-key): ask the member for a current public key, then")
            .Command($"secureminutes member add {list.Name} ADDRESS --key FILE   (+ --replace if it is another key)")
            .Line($"They receive what they missed automatically.");
        return notice.ToDocument($"[{list.Name}] {problems.Count} exemplaire(s) non remis", "copies not delivered");
    }

    public static MinutesDocument PausedForQuota(MailingList list, string reason, DateTimeOffset resumeAt)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Le fournisseur de la liste {list.Name} refuse d'envoyer davantage pour l'instant (quota d'envoi atteint) : {reason}")
            .Line($"Rien n'est perdu : les exemplaires restent en attente et l'envoi reprend seul le {resumeAt:dd/MM/yyyy à HH:mm} UTC.")
            .Line($"Pour reprendre plus tôt (quota relevé, autre compte) :")
            .Command($"secureminutes list resume {list.Name}")
            .Line($"Pour éviter cela : secureminutes list set LISTE --daily-cap N (le quota du fournisseur), ou --rate plus bas.");
        notice.En.Line($"The provider of list {list.Name} refuses to send more for now (sending quota reached): {reason}")
            .Line($"Nothing is lost: copies stay queued and sending resumes by itself at {resumeAt:yyyy-MM-dd HH:mm} UTC.")
            .Line($"To resume earlier, run the command above; to avoid it, set the provider's quota with list set --daily-cap N.");
        return notice.ToDocument($"[{list.Name}] quota du fournisseur atteint", "provider quota reached");
    }

    public static MinutesDocument Paused(MailingList list, string reason)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Les envois de la liste {list.Name} sont suspendus : {reason}")
            .Line($"Rien n'est perdu : les exemplaires restent en attente. Corrigez le fournisseur (provider set), puis")
            .Command($"secureminutes list resume {list.Name}");
        notice.En.Line($"Sending from list {list.Name} is paused: {reason}")
            .Line($"Nothing is lost: copies stay queued. Fix the provider (provider set), then run the command above.");
        return notice.ToDocument($"[{list.Name}] envois suspendus", "sending paused");
    }

    public static MinutesDocument CaptureFailed(MailingList list, string submissionId, DateTimeOffset captureAt, string reason)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Liste {list.Name} : le pad prévu pour {captureAt:dd/MM/yyyy HH:mm} UTC (envoi {submissionId}) n'a pas pu être lu, rien n'a été envoyé.")
            .Line($"Raison : {reason}")
            .Line($"Envoyez-le à la main quand c'est réglé :")
            .Command($"secureminutes submit {list.Name} --pad ADRESSE-DU-PAD");
        notice.En.Line($"List {list.Name}: the pad scheduled for {captureAt:yyyy-MM-dd HH:mm} UTC (submission {submissionId}) could not be read; nothing was sent.")
            .Line($"Reason: {reason}")
            .Line($"Send it by hand once that is fixed (command above).");
        return notice.ToDocument($"[{list.Name}] pad non capturé", "pad capture failed");
    }
}
