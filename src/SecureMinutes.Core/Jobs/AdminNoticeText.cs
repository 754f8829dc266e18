using System.Globalization;
using System.Text;
using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Jobs;

/// <summary>The words of admin notices, in French then English (many of our lists are French-speaking).</summary>
public static class AdminNoticeText
{
    public static MinutesDocument UndeliveredCopies(MailingList list, Submission submission, int total, IReadOnlyList<Delivery> problems)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Liste {list.Name} : {problems.Count} exemplaire(s) sur {total} de l'envoi {submission.Id} du {submission.CreatedAt:dd/MM/yyyy HH:mm} UTC n'ont pas été remis.");
        text.AppendLine("Aucun n'a été envoyé en clair. / None was sent in clear.");
        text.AppendLine();
        foreach (var copy in problems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {copy.Email} : {copy.State.ToText()} — {copy.Detail}");
        }

        text.AppendLine();
        if (problems.Any(p => p.Detail?.Contains("requires verified keys", StringComparison.Ordinal) == true))
        {
            text.AppendLine("Clé non vérifiée : confirmez l'empreinte avec la personne (de vive voix, par un autre canal), puis");
            text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes member verify {list.Name} ADRESSE --fingerprint EMPREINTE");
            text.AppendLine("Unverified key: confirm the fingerprint with the member out of band, then run the command above.");
            text.AppendLine();
        }

        text.AppendLine("Clé inutilisable (skipped-no-key) : demandez à la personne sa clé publique à jour, puis");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes member add {list.Name} ADRESSE --key FICHIER   (+ --replace si c'est une autre clé / if it is another key)");
        text.AppendLine("Elle recevra automatiquement ce qu'elle a manqué.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"List {list.Name}: {problems.Count} of {total} copies of submission {submission.Id} were not delivered (see above).");
        text.AppendLine("Unusable key (skipped-no-key): ask the member for a current public key, then run the command above;");
        text.AppendLine("they receive what they missed automatically.");
        return new MinutesDocument($"[{list.Name}] {problems.Count} exemplaire(s) non remis / copies not delivered", text.ToString());
    }

    public static MinutesDocument PausedForQuota(MailingList list, string reason, DateTimeOffset resumeAt)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Le fournisseur de la liste {list.Name} refuse d'envoyer davantage pour l'instant (quota d'envoi atteint) : {reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Rien n'est perdu : les exemplaires restent en attente et l'envoi reprend seul le {resumeAt:dd/MM/yyyy à HH:mm} UTC.");
        text.AppendLine("Pour reprendre plus tôt (quota relevé, autre compte) :");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes list resume {list.Name}");
        text.AppendLine("Pour éviter cela : secureminutes list set LISTE --daily-cap N (le quota du fournisseur), ou --rate plus bas.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The provider of list {list.Name} refuses to send more for now (sending quota reached): {reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Nothing is lost: copies stay queued and sending resumes by itself at {resumeAt:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine("To resume earlier, run the command above; to avoid it, set the provider's quota with list set --daily-cap N.");
        return new MinutesDocument($"[{list.Name}] quota du fournisseur atteint / provider quota reached", text.ToString());
    }

    public static MinutesDocument Paused(MailingList list, string reason)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Les envois de la liste {list.Name} sont suspendus : {reason}");
        text.AppendLine("Rien n'est perdu : les exemplaires restent en attente. Corrigez le fournisseur (provider set), puis");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes list resume {list.Name}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Sending from list {list.Name} is paused: {reason}");
        text.AppendLine("Nothing is lost: copies stay queued. Fix the provider (provider set), then run the command above.");
        return new MinutesDocument($"[{list.Name}] envois suspendus / sending paused", text.ToString());
    }

    public static MinutesDocument CaptureFailed(MailingList list, string submissionId, DateTimeOffset captureAt, string reason)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Liste {list.Name} : le pad prévu pour {captureAt:dd/MM/yyyy HH:mm} UTC (envoi {submissionId}) n'a pas pu être lu, rien n'a été envoyé.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Raison : {reason}");
        text.AppendLine("Envoyez-le à la main quand c'est réglé :");
        text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes submit {list.Name} --pad ADRESSE-DU-PAD");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"List {list.Name}: the pad scheduled for {captureAt:yyyy-MM-dd HH:mm} UTC (submission {submissionId}) could not be read; nothing was sent.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Reason: {reason}");
        text.AppendLine("Send it by hand once that is fixed (command above).");
        return new MinutesDocument($"[{list.Name}] pad non capturé / pad capture failed", text.ToString());
    }
}
