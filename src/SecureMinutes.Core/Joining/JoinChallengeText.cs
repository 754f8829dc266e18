using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Joining;

/// <summary>
/// The challenge mail: encrypted to the key the person gave, so only its holder can read the confirmation link inside.
/// In the language of the join page they used (null: French then English).
/// </summary>
public static class JoinChallengeText
{
    public static MinutesDocument Of(MailingList list, JoinRequest request, Uri confirmation, TimeSpan lifetime, ListLanguage? language)
    {
        var hours = (int)Math.Round(lifetime.TotalHours);
        var notice = language is { } only ? new NoticeText(only) : new NoticeText();
        notice.Fr.Line($"Bonjour,").Blank()
            .Line($"Quelqu'un (vous, sans doute) a demandé à recevoir les comptes-rendus de la liste {list.DisplayName} <{list.Address}>")
            .Line($"à cette adresse, chiffrés pour la clé {request.Fingerprint.Grouped}.")
            .Blank()
            .Line($"Pour confirmer, ouvrez ce lien dans les {hours} heures :")
            .Line($"{confirmation}")
            .Blank()
            .Line($"Si ce n'est pas vous, ignorez ce message : rien ne sera enregistré.");
        notice.En.Line($"Hello,").Blank()
            .Line($"Someone (you, probably) asked to receive the minutes of the list {list.DisplayName} <{list.Address}>")
            .Line($"at this address, encrypted to the key {request.Fingerprint.Grouped}.")
            .Blank()
            .Line($"To confirm, open this link within {hours} hours:")
            .Line($"{confirmation}")
            .Blank()
            .Line($"If it was not you, ignore this message: nothing will be kept.");
        return notice.ToDocument($"Confirmez votre inscription à {list.DisplayName}", $"Confirm joining {list.DisplayName}", separator: "---");
    }
}
