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
}
