using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>What the daily refresh tells admins, French then English.</summary>
public static class RefreshNoticeText
{
    public static MinutesDocument ToAdmins(MailingList list, IReadOnlyList<MemberRefresh> lost, IReadOnlyList<MemberRefresh> others, IReadOnlyList<MemberRefresh> back)
    {
        var notice = new NoticeText();
        notice.Fr.Line($"Liste {list.Name} : mise à jour des clés depuis les serveurs de clés et WKD.");
        notice.En.Line($"List {list.Name}: key refresh from keyservers and WKD.");
        if (lost.Count > 0)
        {
            notice.Fr.Blank().Line($"Clés devenues inutilisables (révoquées...) : plus rien ne leur est envoyé :")
                .Items(lost, m => $"{m.Member.Email} : {m.After.Problem}");
            notice.En.Blank().Line($"Keys no longer usable (revoked...): nothing is sent to them:")
                .Items(lost, m => $"{m.Member.Email}: {m.After.Problem}");
        }

        if (others.Count > 0)
        {
            notice.Fr.Blank()
                .Line($"Une AUTRE clé est publiée pour ces adresses ; elle n'a pas été adoptée. Vérifiez avec la personne avant de la remplacer")
                .Line($"(member add ... --replace) :")
                .Items(others, m => $"{m.Member.Email} : {string.Join(", ", m.NewlySeenOtherKeys.Select(k => k.Hex))} (clé actuelle {m.Member.Fingerprint.Hex})");
            notice.En.Blank()
                .Line($"A DIFFERENT key is published for these addresses; it was not adopted. Check with the member first (member add ... --replace):")
                .Items(others, m => $"{m.Member.Email}: {string.Join(", ", m.NewlySeenOtherKeys.Select(k => k.Hex))} (current key {m.Member.Fingerprint.Hex})");
        }

        if (back.Count > 0)
        {
            notice.Fr.Blank().Line($"Clés de nouveau utilisables (ce qu'ils ont manqué leur est renvoyé) :")
                .Items(back, m => $"{m.Member.Email} : {string.Join("; ", m.Changes)}");
            notice.En.Blank().Line($"Keys usable again (they are sent what they missed):")
                .Items(back, m => $"{m.Member.Email}: {string.Join("; ", m.Changes)}");
        }

        return notice.ToDocument($"[{list.Name}] clés mises à jour", "keys refreshed");
    }
}
