using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

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
        var notice = new NoticeText();
        notice.Fr.Line($"Bonjour,").Blank()
            .Line($"Votre clé OpenPGP {fingerprint}")
            .Line($"expire le {expires:dd/MM/yyyy} (dans {daysLeft} jour(s)).")
            .Line($"Passé cette date, la liste {list.DisplayName} <{list.Address}> ne pourra plus vous envoyer ses comptes-rendus chiffrés.")
            .Line($"Il suffit de prolonger votre clé (la même clé : rien d'autre à changer) :")
            .Blank()
            .Line($"- Thunderbird : menu ≡ > Paramètres des comptes > Chiffrement de bout en bout > Gestionnaire de clés OpenPGP ;")
            .Line($"  double-cliquez sur votre clé > « Modifier la date d'expiration » > par exemple 2 ans > OK.")
            .Line($"- K-9 Mail / OpenKeychain : dans OpenKeychain, touchez votre clé > menu ⋮ > « Modifier la clé » >")
            .Line($"  « Changer l'expiration » > enregistrez.")
            .Line($"- GnuPG : gpg --quick-set-expire EMPREINTE 2y  puis  gpg --quick-set-expire EMPREINTE 2y '*'")
            .Blank()
            .Line($"Ensuite, faites parvenir la clé prolongée à la liste, au choix :")
            .Line($"- publiez-la sur https://keys.openpgp.org (et confirmez votre adresse quand le serveur vous écrit) :")
            .Line($"  la liste la récupère d'elle-même ;")
            .Line($"- ou écrivez aux admins de la liste en joignant votre clé publique (Thunderbird : « Joindre ma clé publique » ;")
            .Line($"  OpenKeychain : ⋮ > « Partager » ; GnuPG : gpg --armor --export EMPREINTE > ma-cle.asc).");
        notice.En.Line($"Hello,").Blank()
            .Line($"Your OpenPGP key {fingerprint}")
            .Line($"expires on {expires:yyyy-MM-dd} (in {daysLeft} day(s)).")
            .Line($"After that, the list {list.DisplayName} <{list.Address}> can no longer send you its encrypted minutes.")
            .Line($"Extending the same key is enough (nothing else changes):")
            .Blank()
            .Line($"- Thunderbird: menu ≡ > Account Settings > End-To-End Encryption > OpenPGP Key Manager;")
            .Line($"  double-click your key > \"Change Expiration Date\" > e.g. 2 years > OK.")
            .Line($"- K-9 Mail / OpenKeychain: in OpenKeychain, tap your key > ⋮ menu > \"Edit key\" > \"Change expiry\" > save.")
            .Line($"- GnuPG: gpg --quick-set-expire FINGERPRINT 2y  then  gpg --quick-set-expire FINGERPRINT 2y '*'")
            .Blank()
            .Line($"Then get the extended key to the list, either way:")
            .Line($"- publish it on https://keys.openpgp.org (and confirm your address when it mails you): the list fetches it;")
            .Line($"- or write to the list's admins with your public key attached (Thunderbird: \"Attach My Public Key\";")
            .Line($"  OpenKeychain: ⋮ > \"Share\"; GnuPG: gpg --armor --export FINGERPRINT > my-key.asc).");
        return notice.ToDocument($"Votre clé expire dans {daysLeft} jour(s)", $"Your key expires in {daysLeft} day(s)", separator: "---");
    }

    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<(Member Member, DateTimeOffset Expires, int DaysLeft)> warned,
        IReadOnlyList<(Member Member, string Problem)> suspended)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Liste {list.Name} : état des clés des membres.");
        notice.En.Line($"List {list.Name}: members' keys.");
        if (warned.Count > 0)
        {
            notice.Fr.Blank()
                .Line($"Clés qui expirent bientôt (la personne a reçu les instructions pour prolonger) :")
                .Items(warned, w => $"{w.Member.Email} : {w.Member.Fingerprint.Hex}, expire le {w.Expires:dd/MM/yyyy} ({w.DaysLeft} j)");
            notice.En.Blank()
                .Line($"Keys expiring soon (the member was sent how to extend theirs):")
                .Items(warned, w => $"{w.Member.Email}: {w.Member.Fingerprint.Hex}, expires on {w.Expires:yyyy-MM-dd} ({w.DaysLeft} d)");
        }

        if (suspended.Count > 0)
        {
            notice.Fr.Blank()
                .Line($"Envois suspendus : ces membres ne reçoivent plus rien (jamais en clair) tant qu'une clé utilisable n'est pas importée :")
                .Items(suspended, s => $"{s.Member.Email} : {s.Problem}")
                .Blank()
                .Line($"Demandez-leur leur clé à jour, puis :")
                .Command($"secureminutes member add {list.Name} ADRESSE --key FICHIER   (même clé prolongée)")
                .Command($"secureminutes member add {list.Name} ADRESSE --key FICHIER --replace   (nouvelle clé)")
                .Line($"Ils recevront automatiquement ce qu'ils ont manqué.");
            notice.En.Blank()
                .Line($"Deliveries suspended: these members receive nothing (never in clear) until a usable key is imported:")
                .Items(suspended, s => $"{s.Member.Email}: {s.Problem}")
                .Blank()
                .Line($"Ask them for their current key, then:")
                .Command($"secureminutes member add {list.Name} ADDRESS --key FILE   (same key, extended)")
                .Command($"secureminutes member add {list.Name} ADDRESS --key FILE --replace   (new key)")
                .Line($"They then receive what they missed.");
        }

        return notice.ToDocument($"[{list.Name}] clés à renouveler", "keys to renew");
    }
}
