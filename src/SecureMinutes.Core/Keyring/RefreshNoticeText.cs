using System.Globalization;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Keyring;

/// <summary>What the daily refresh tells admins, French then English.</summary>
public static class RefreshNoticeText
{
    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<MemberRefresh> lost, IReadOnlyList<MemberRefresh> others, IReadOnlyList<MemberRefresh> back)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Liste {list.Name} : mise à jour des clés depuis les serveurs de clés et WKD. / List {list.Name}: key refresh.");
        if (lost.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Clés devenues inutilisables (révoquées...) : plus rien ne leur est envoyé / Keys no longer usable (revoked...): nothing is sent to them:");
            foreach (var m in lost)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {m.Member.Email} : {m.After.Problem}");
            }
        }

        if (others.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Une AUTRE clé est publiée pour ces adresses ; elle n'a pas été adoptée. Vérifiez avec la personne avant de la remplacer");
            text.AppendLine("(member add ... --replace). / A DIFFERENT key is published for these addresses; it was not adopted. Check with the member first:");
            foreach (var m in others)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {m.Member.Email} : {string.Join(", ", m.NewlySeenOtherKeys.Select(k => k.Hex))} (clé actuelle / current key {m.Member.Fingerprint.Hex})");
            }
        }

        if (back.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Clés de nouveau utilisables (ce qu'ils ont manqué leur est renvoyé) / Keys usable again (they are sent what they missed):");
            foreach (var m in back)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {m.Member.Email} : {string.Join("; ", m.Changes)}");
            }
        }

        return new MinutesDocument($"[{list.Name}] clés mises à jour / keys refreshed", text.ToString());
    }
}
