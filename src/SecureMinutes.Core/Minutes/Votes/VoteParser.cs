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

    /// <param name="Rank">1 for the first vote under its heading, 2 for the next…</param>
    private sealed record RawVote(int Line, int Section, int Rank, string? Heading, string? Proposal, VoteLine Vote, string? OwnRule);

    /// <summary>
    /// Reads <paramref name="text"/> (LF or CRLF lines; fenced code blocks skipped) into its votes, tasks and problems.
    /// Never throws on what a note-taker may type; minutes without a vote line give <see cref="MinutesVotes.HasVotes"/> false.
    /// </summary>
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
                    var rank = raw.Count > 0 && raw[^1].Section == section ? raw[^1].Rank + 1 : 1;
                    raw.Add(new RawVote(i + 1, section, rank, heading, proposal, vote, paren < 0 ? null : label[(paren + 1)..].TrimEnd(')', ' ')));
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
            problems.Add(VoteProblems.UnknownRule(unknown.Line, MinutesText.Shorten(unknown.Text, 60)));
        }

        // Counted once: minutes of thousands of votes must not cost votes × votes.
        var perSection = raw.GroupBy(v => v.Section).ToDictionary(g => g.Key, g => g.Count());
        var decisions = raw.Select((vote, index) => Decide(vote, Title(vote, index, perSection[vote.Section]), rule, present, problems)).ToList();
        return new MinutesVotes(language, present, rule, ruleLine is not null, decisions, tasks, problems.OrderBy(p => p.Line).ToList());
    }

    private static Decision Decide(RawVote raw, string title, DecisionRule? agRule, int? present, List<VoteProblem> problems)
    {
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
                problems.Add(VoteProblems.UnknownOwnRule(raw.Line, title, MinutesText.Shorten(asked, 40)));
            }
        }

        var counts = vote.Counts;
        var outcome = rule?.Decide(vote.Kind, counts) ?? (vote.Kind == VoteKind.Unanimous ? VoteOutcome.Passed : VoteOutcome.Undetermined);
        if (vote.Missing.Count > 0)
        {
            problems.Add(VoteProblems.MissingCount(raw.Line, title, vote.Missing));
        }

        problems.AddRange(vote.Repeated.Select(word => VoteProblems.RepeatedCount(raw.Line, title, word)));
        if (vote.Kind != VoteKind.Counted && counts.Against is { } against && against > 0)
        {
            problems.Add(VoteProblems.Contradiction(raw.Line, title, vote.Kind, against));
        }

        if (present is { } people && counts.Total > people)
        {
            problems.Add(VoteProblems.MoreVotesThanPresent(raw.Line, title, counts, people));
        }

        if (vote.Stated is { } stated && outcome != VoteOutcome.Undetermined && stated != outcome)
        {
            problems.Add(VoteProblems.StatedOutcomeDiffers(raw.Line, title, stated, outcome, rule!));
        }

        return new Decision(title, raw.Line, vote.Kind, counts, rule, ownRule, outcome);
    }

    /// <summary>The agenda item's heading; with several votes under one heading, each adds its proposal (or its rank).</summary>
    private static string Title(RawVote raw, int index, int votesInSection)
    {
        var proposal = raw.Proposal is { } p ? MinutesText.Shorten(p, 60) : null;
        if (raw.Heading is null || raw.Section == 0)
        {
            return proposal ?? FormattableString.Invariant($"Vote {index + 1}");
        }

        var heading = MinutesText.Shorten(raw.Heading, 80);
        return votesInSection == 1 ? heading : $"{heading} — {proposal ?? FormattableString.Invariant($"vote {raw.Rank}")}";
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
