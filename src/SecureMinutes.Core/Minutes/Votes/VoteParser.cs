using System.Globalization;
using System.Text.RegularExpressions;
using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// Finds the votes in minutes written from the AG template (or in the same habits): « Présent·es : 84 »,
/// « Règle de décision : majorité qualifiée 2/3 », a heading per agenda item, « Proposition : … »,
/// « Vote : pour 52 / contre 12 / abstention 6 » (or « Vote (2/3) : … » for a vote under its own rule),
/// and a « Tâches » section; English labels too ("Present:", "Decision rule:", "Vote: for … against … abstain …",
/// "Tasks"). Only lines labelled « Vote » count as votes, so ordinary minutes are left alone.
/// </summary>
public static partial class VoteParser
{
    private static readonly string[] TaskHeadingsFrench = ["taches", "tache", "a faire", "actions a mener", "qui fait quoi"];
    private static readonly string[] TaskHeadingsEnglish = ["tasks", "task list", "action items", "actions", "to do", "todo", "to-do", "who does what"];

    private sealed record RawVote(int Line, int Section, string? Heading, string? Proposal, VoteLine Vote, string? OwnRule);

    public static MinutesVotes Parse(string text)
    {
        var lines = text.Split('\n');
        var raw = new List<RawVote>();
        var tasks = new List<string>();
        var problems = new List<VoteProblem>();
        var (section, french, english) = (0, 0, 0);
        string? heading = null, proposal = null, fence = null;
        int? present = null, tasksLevel = null;
        (string Text, int Line)? ruleLine = null;
        var tableRow = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (Fence().Match(line) is { Success: true } opening && (fence is null || opening.Value.TrimStart().StartsWith(fence, StringComparison.Ordinal)))
            {
                fence = fence is null ? opening.Value.TrimStart()[..3] : null;
                continue;
            }

            if (fence is not null)
            {
                continue;
            }

            if (MinutesText.TryHeading(line, out var level, out var title))
            {
                (heading, proposal, section, tableRow) = (title, null, section + 1, 0);
                var taskLanguage = TaskHeading(title);
                tasksLevel = taskLanguage is not null ? level : tasksLevel is { } open && level > open ? open : null;
                (french, english) = taskLanguage switch { ListLanguage.French => (french + 1, english), ListLanguage.English => (french, english + 1), _ => (french, english) };
                continue;
            }

            if (tasksLevel is not null && Task(line, ref tableRow) is { } task)
            {
                tasks.Add(task);
                continue;
            }

            if (!MinutesText.TrySplitLabel(line, out var label, out var value))
            {
                continue;
            }

            var paren = label.IndexOf('(', StringComparison.Ordinal);
            var name = MinutesText.Letters(paren < 0 ? label : label[..paren]);
            if (name is "vote" or "votes" or "resultatduvote" or "resultatsduvote" or "voteresult" or "votingresult" or "result")
            {
                if (VoteLine.Parse(value) is { } vote)
                {
                    raw.Add(new RawVote(i + 1, section, heading, proposal, vote, paren < 0 ? null : label[(paren + 1)..].TrimEnd(')', ' ')));
                    (french, english, proposal) = (french + vote.FrenchWords, english + vote.EnglishWords, null);
                }
            }
            else if (Presence().IsMatch(name))
            {
                if (present is null && Number().Match(MinutesText.WithoutAsides(value)) is { Success: true } count
                    && int.TryParse(count.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var people))
                {
                    present = people;
                }

                french += label.Any(c => c is 'é' or 'É' or '·' or '(' or '.') || name.EndsWith('s') ? 1 : 0;
            }
            else if (name.StartsWith("regle", StringComparison.Ordinal) || name.StartsWith("modede", StringComparison.Ordinal)
                || name.EndsWith("rule", StringComparison.Ordinal) || name.EndsWith("rules", StringComparison.Ordinal))
            {
                ruleLine ??= (value, i + 1);
                (french, english) = name.StartsWith("regle", StringComparison.Ordinal) || name.StartsWith("modede", StringComparison.Ordinal)
                    ? (french + 1, english) : (french, english + 1);
            }
            else if (name.StartsWith("proposition", StringComparison.Ordinal) || name.StartsWith("motion", StringComparison.Ordinal) || name.StartsWith("proposal", StringComparison.Ordinal))
            {
                proposal = MinutesText.HasContent(value) ? value : proposal;
            }
        }

        var language = english > french ? ListLanguage.English : ListLanguage.French;
        var rule = ruleLine is { } stated ? DecisionRule.Parse(stated.Text) : DecisionRule.Simple;
        if (ruleLine is { } unknown && rule is null)
        {
            var shown = MinutesText.Shorten(unknown.Text, 60);
            problems.Add(new VoteProblem(VoteProblemKind.UnknownRule, unknown.Line,
                $"the decision rule « {shown} » is not one this understands (simple majority, absolute majority, qualified majority 2/3, consensus, unanimity): no outcome is given",
                $"la règle de décision « {shown} » n'est pas reconnue (majorité simple, majorité absolue, majorité qualifiée 2/3, consensus, unanimité) : aucun résultat n'est donné"));
        }

        var decisions = raw.Select((vote, index) => Decide(vote, index, raw, rule, present, problems)).ToList();
        return new MinutesVotes(language, present, rule, ruleLine is not null, decisions, tasks, problems.OrderBy(p => p.Line).ToList());
    }

    private static Decision Decide(RawVote raw, int index, List<RawVote> all, DecisionRule? agRule, int? present, List<VoteProblem> problems)
    {
        var title = Title(raw, index, all);
        var vote = raw.Vote;
        var rule = agRule;
        var ownRule = false;
        if (raw.OwnRule is { } asked)
        {
            if (DecisionRule.Parse(asked) is { } own)
            {
                (rule, ownRule) = (own, true);
            }
            else if (MinutesText.Fold(asked) is var folded && (folded.Contains("majorit", StringComparison.Ordinal) || folded.Contains("majority", StringComparison.Ordinal)))
            {
                (rule, ownRule) = (null, true);
                problems.Add(new VoteProblem(VoteProblemKind.UnknownRule, raw.Line,
                    $"vote on « {title} »: the rule « {asked} » is not one this understands (e.g. 2/3, 60 %, absolute majority): no outcome is given",
                    $"vote « {title} » : la règle « {asked} » n'est pas reconnue (par ex. 2/3, 60 %, majorité absolue) : aucun résultat n'est donné"));
            }
        }

        var counts = vote.Counts;
        var outcome = rule?.Decide(vote.Kind, counts) ?? (vote.Kind == VoteKind.Unanimous ? VoteOutcome.Passed : VoteOutcome.Undetermined);
        if (vote.Missing.Count > 0)
        {
            problems.Add(new VoteProblem(VoteProblemKind.MissingCount, raw.Line,
                $"vote on « {title} »: no number for {string.Join(", ", vote.Missing)} (write 0 if nobody voted so, or « consensus »)",
                $"vote « {title} » : il manque le nombre de voix {string.Join(", ", vote.Missing.Select(French))} (écrire 0 si personne, ou « consensus »)"));
        }

        foreach (var word in vote.Repeated)
        {
            problems.Add(new VoteProblem(VoteProblemKind.RepeatedCount, raw.Line,
                $"vote on « {title} »: « {word} » is counted twice on one line; the first count is used",
                $"vote « {title} » : « {word} » est compté deux fois sur la ligne ; le premier nombre est retenu"));
        }

        if (vote.Kind != VoteKind.Counted && counts.Against is > 0)
        {
            var word = vote.Kind == VoteKind.Unanimous ? ("unanimous", "unanimité") : ("consensus", "consensus");
            problems.Add(new VoteProblem(VoteProblemKind.Contradiction, raw.Line,
                $"vote on « {title} »: recorded as {word.Item1} but with {counts.Against} against",
                $"vote « {title} » : noté « {word.Item2} » mais avec {counts.Against} contre"));
        }

        if (present is { } people && counts.Total > people)
        {
            problems.Add(new VoteProblem(VoteProblemKind.MoreVotesThanPresent, raw.Line,
                $"vote on « {title} »: {counts.Total} votes ({counts.For ?? 0} for, {counts.Against ?? 0} against, {counts.Abstain ?? 0} abstain) but {people} present",
                $"vote « {title} » : {counts.Total} voix ({counts.For ?? 0} pour, {counts.Against ?? 0} contre, {counts.Abstain ?? 0} abstention) pour {people} présent·es"));
        }

        if (vote.Stated is { } stated && outcome != VoteOutcome.Undetermined && stated != outcome)
        {
            var ruleText = rule!.Describe(ListLanguage.English);
            problems.Add(new VoteProblem(VoteProblemKind.StatedOutcomeDiffers, raw.Line,
                $"vote on « {title} »: written as {(stated == VoteOutcome.Passed ? "passed" : "rejected")}, but under {ruleText} the counts give {(outcome == VoteOutcome.Passed ? "passed" : "rejected")}",
                $"vote « {title} » : noté « {(stated == VoteOutcome.Passed ? "adoptée" : "rejetée")} », mais selon la règle ({rule.Describe(ListLanguage.French)}) les voix donnent « {(outcome == VoteOutcome.Passed ? "adoptée" : "rejetée")} »"));
        }

        return new Decision(title, raw.Line, vote.Kind, counts, rule, ownRule, outcome);
    }

    /// <summary>The agenda item's heading; with several votes under one heading, each adds its proposal (or its rank).</summary>
    private static string Title(RawVote raw, int index, List<RawVote> all)
    {
        var inSection = all.Where(v => v.Section == raw.Section).ToList();
        var proposal = raw.Proposal is { } p ? MinutesText.Shorten(p, 60) : null;
        if (raw.Heading is null || raw.Section == 0)
        {
            return proposal ?? FormattableString.Invariant($"Vote {index + 1}");
        }

        var heading = MinutesText.Shorten(raw.Heading, 80);
        return inSection.Count == 1 ? heading : $"{heading} — {proposal ?? FormattableString.Invariant($"vote {inSection.IndexOf(raw) + 1}")}";
    }

    private static ListLanguage? TaskHeading(string heading)
    {
        var folded = Numbering().Replace(MinutesText.Fold(heading), "").Trim();
        return TaskHeadingsFrench.Any(h => folded.StartsWith(h, StringComparison.Ordinal)) ? ListLanguage.French
            : TaskHeadingsEnglish.Any(h => folded.StartsWith(h, StringComparison.Ordinal)) ? ListLanguage.English
            : null;
    }

    /// <summary>A task in the tasks section: a list item, or a table row (header and delimiter rows skipped) as its cells joined.</summary>
    private static string? Task(string line, ref int tableRow)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('|'))
        {
            var cells = trimmed.Trim('|').Split('|').Select(c => c.Trim()).ToList();
            var row = tableRow++;
            if (row == 0 || cells.All(c => Delimiter().IsMatch(c)))
            {
                return null;
            }

            var joined = string.Join(" — ", cells.Where(MinutesText.HasContent));
            return joined.Length > 0 ? joined : null;
        }

        tableRow = 0;
        return MinutesText.ListItem(line) is { } item && MinutesText.HasContent(item) ? item : null;
    }

    private static string French(string count) => count switch { "for" => "pour", "against" => "contre", _ => "abstention" };

    [GeneratedRegex(@"^(nombrede)?(present|participant|attendance|attendees|headcount)[a-z]{0,4}$")]
    private static partial Regex Presence();

    [GeneratedRegex(@"^\s*(\d{1,6})\b")]
    private static partial Regex Number();

    [GeneratedRegex(@"^[ \t]{0,3}(```|~~~)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^:?-{1,}:?$")]
    private static partial Regex Delimiter();

    [GeneratedRegex(@"^[\d.)\s]+")]
    private static partial Regex Numbering();
}
