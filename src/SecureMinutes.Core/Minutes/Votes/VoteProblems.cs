using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// The words for each <see cref="VoteProblem"/>, English for the note-taker at the command line and French for the
/// summary of French minutes, kept together so they say the same thing.
/// </summary>
internal static class VoteProblems
{
    public static VoteProblem UnknownRule(int line, string rule) => new(VoteProblemKind.UnknownRule, line,
        $"the decision rule « {rule} » is not one this understands (simple majority, absolute majority, qualified majority 2/3, consensus, unanimity): no outcome is given",
        $"la règle de décision « {rule} » n'est pas reconnue (majorité simple, majorité absolue, majorité qualifiée 2/3, consensus, unanimité) : aucun résultat n'est donné");

    public static VoteProblem UnknownOwnRule(int line, string title, string rule) => new(VoteProblemKind.UnknownRule, line,
        $"vote on « {title} »: the rule « {rule} » is not one this understands (e.g. 2/3, 60 %, absolute majority): no outcome is given",
        $"vote « {title} » : la règle « {rule} » n'est pas reconnue (par ex. 2/3, 60 %, majorité absolue) : aucun résultat n'est donné");

    /// <param name="missing">"for", "against", "abstain".</param>
    public static VoteProblem MissingCount(int line, string title, IReadOnlyList<string> missing) => new(VoteProblemKind.MissingCount, line,
        $"vote on « {title} »: no number for {string.Join(", ", missing)} (write 0 if nobody voted so, or « consensus »)",
        $"vote « {title} » : il manque le nombre de voix {string.Join(", ", missing.Select(m => m switch { "for" => "pour", "against" => "contre", _ => "abstention" }))} (écrire 0 si personne, ou « consensus »)");

    public static VoteProblem RepeatedCount(int line, string title, string word) => new(VoteProblemKind.RepeatedCount, line,
        $"vote on « {title} »: « {word} » is counted twice on one line; the first count is used",
        $"vote « {title} » : « {word} » est compté deux fois sur la ligne ; le premier nombre est retenu");

    public static VoteProblem Contradiction(int line, string title, VoteKind kind, int against) => new(VoteProblemKind.Contradiction, line,
        $"vote on « {title} »: recorded as {(kind == VoteKind.Unanimous ? "unanimous" : "consensus")} but with {against} against",
        $"vote « {title} » : noté « {(kind == VoteKind.Unanimous ? "unanimité" : "consensus")} » mais avec {against} contre");

    public static VoteProblem MoreVotesThanPresent(int line, string title, VoteCounts counts, int present) => new(VoteProblemKind.MoreVotesThanPresent, line,
        $"vote on « {title} »: {counts.Total} votes ({counts.For ?? 0} for, {counts.Against ?? 0} against, {counts.Abstain ?? 0} abstain) but {present} present",
        $"vote « {title} » : {counts.Total} voix ({counts.For ?? 0} pour, {counts.Against ?? 0} contre, {counts.Abstain ?? 0} abstention) pour {present} présent·es");

    public static VoteProblem StatedOutcomeDiffers(int line, string title, VoteOutcome stated, VoteOutcome counted, DecisionRule rule) => new(VoteProblemKind.StatedOutcomeDiffers, line,
        $"vote on « {title} »: written as {English(stated)}, but under {rule.Describe(ListLanguage.English)} the counts give {English(counted)}",
        $"vote « {title} » : noté « {French(stated)} », mais selon la règle ({rule.Describe(ListLanguage.French)}) les voix donnent « {French(counted)} »");

    private static string English(VoteOutcome outcome) => outcome == VoteOutcome.Passed ? "passed" : "rejected";

    private static string French(VoteOutcome outcome) => outcome == VoteOutcome.Passed ? "adoptée" : "rejetée";
}
