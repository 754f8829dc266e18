using System.Globalization;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Keyring;

/// <summary>
/// The words of expiry warnings, French then English: to the member (how to extend their key in Thunderbird,
/// K-9/OpenKeychain or GnuPG and how the list gets the extended key) and the summary for the admins.
/// </summary>
public static class ExpiryWarningText
{
    public static MinutesDocument ToMember(MailingList list, Member member, DateTimeOffset expires, int daysLeft)
    {
        var fingerprint = member.Fingerprint.Grouped;
        var date = expires.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Bonjour,\n\nVotre clé OpenPGP {fingerprint}\nexpire le {date} (dans {daysLeft} jour(s)).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Passé cette date, la liste {list.DisplayName} <{list.Address}> ne pourra plus vous envoyer ses comptes-rendus chiffrés.");
        text.AppendLine("Il suffit de prolonger votre clé (la même clé : rien d'autre à changer) :");
        text.AppendLine();
        text.AppendLine("- Thunderbird : menu ≡ > Paramètres des comptes > Chiffrement de bout en bout > Gestionnaire de clés OpenPGP ;");
        text.AppendLine("  double-cliquez sur votre clé > « Modifier la date d'expiration » > par exemple 2 ans > OK.");
        text.AppendLine("- K-9 Mail / OpenKeychain : dans OpenKeychain, touchez votre clé > menu ⋮ > « Modifier la clé » >");
        text.AppendLine("  « Changer l'expiration » > enregistrez.");
        text.AppendLine("- GnuPG : gpg --quick-set-expire EMPREINTE 2y  puis  gpg --quick-set-expire EMPREINTE 2y '*'");
        text.AppendLine();
        text.AppendLine("Ensuite, faites parvenir la clé prolongée à la liste, au choix :");
        text.AppendLine("- publiez-la sur https://keys.openpgp.org (et confirmez votre adresse quand le serveur vous écrit) :");
        text.AppendLine("  la liste la récupère d'elle-même ;");
        text.AppendLine("- ou écrivez aux admins de la liste en joignant votre clé publique (Thunderbird : « Joindre ma clé publique » ;");
        text.AppendLine("  OpenKeychain : ⋮ > « Partager » ; GnuPG : gpg --armor --export EMPREINTE > ma-cle.asc).");
        text.AppendLine();
        text.AppendLine("---");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Hello,\n\nYour OpenPGP key {fingerprint}\nexpires on {expires:yyyy-MM-dd} (in {daysLeft} day(s)).");
        text.AppendLine(CultureInfo.InvariantCulture, $"After that, the list {list.DisplayName} <{list.Address}> can no longer send you its encrypted minutes.");
        text.AppendLine("Extending the same key is enough (nothing else changes):");
        text.AppendLine();
        text.AppendLine("- Thunderbird: menu ≡ > Account Settings > End-To-End Encryption > OpenPGP Key Manager;");
        text.AppendLine("  double-click your key > \"Change Expiration Date\" > e.g. 2 years > OK.");
        text.AppendLine("- K-9 Mail / OpenKeychain: in OpenKeychain, tap your key > ⋮ menu > \"Edit key\" > \"Change expiry\" > save.");
        text.AppendLine("- GnuPG: gpg --quick-set-expire FINGERPRINT 2y  then  gpg --quick-set-expire FINGERPRINT 2y '*'");
        text.AppendLine();
        text.AppendLine("Then get the extended key to the list, either way:");
        text.AppendLine("- publish it on https://keys.openpgp.org (and confirm your address when it mails you): the list fetches it;");
        text.AppendLine("- or write to the list's admins with your public key attached (Thunderbird: \"Attach My Public Key\";");
        text.AppendLine("  OpenKeychain: ⋮ > \"Share\"; GnuPG: gpg --armor --export FINGERPRINT > my-key.asc).");
        return new MinutesDocument($"Votre clé expire dans {daysLeft} jour(s) / Your key expires in {daysLeft} day(s)", text.ToString());
    }

    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<(Member Member, DateTimeOffset Expires, int DaysLeft)> warned,
        IReadOnlyList<(Member Member, string Problem)> suspended)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Liste {list.Name} : état des clés des membres. / List {list.Name}: members' keys.");
        if (warned.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Clés qui expirent bientôt (la personne a reçu les instructions pour prolonger) /");
            text.AppendLine("Keys expiring soon (the member was sent how to extend theirs):");
            foreach (var (member, expires, days) in warned)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {member.Email} : {member.Fingerprint.Hex}, expire le / expires on {expires:yyyy-MM-dd} ({days} j/d)");
            }
        }

        if (suspended.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Envois suspendus : ces membres ne reçoivent plus rien (jamais en clair) tant qu'une clé utilisable n'est pas importée /");
            text.AppendLine("Deliveries suspended: these members receive nothing (never in clear) until a usable key is imported:");
            foreach (var (member, problem) in suspended)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {member.Email} : {problem}");
            }

            text.AppendLine();
            text.AppendLine("Demandez-leur leur clé à jour, puis / Ask them for their current key, then:");
            text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes member add {list.Name} ADRESSE --key FICHIER   (même clé prolongée / same key extended)");
            text.AppendLine(CultureInfo.InvariantCulture, $"  secureminutes member add {list.Name} ADRESSE --key FICHIER --replace   (nouvelle clé / new key)");
            text.AppendLine("Ils recevront automatiquement ce qu'ils ont manqué. / They then receive what they missed.");
        }

        return new MinutesDocument($"[{list.Name}] clés à renouveler / keys to renew", text.ToString());
    }
}
