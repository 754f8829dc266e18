using System.Globalization;
using System.Text;
using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// The summary put at the top of minutes that hold votes, in Markdown that reads as plain text too: a line with
/// the people present and the rule, a pipe table of the decisions (columns padded so it lines up in a plain-text
/// reader; Markdig renders it as an HTML table), the task list, what does not add up, then a rule (« --- ») before
/// the minutes themselves. Written in the minutes' own language.
/// </summary>
public static class SummaryWriter
{
    private sealed record Words(string Heading, string Decision, string For, string Against, string Abstain, string Result, string Passed, string Rejected,
        string Undetermined, string Present, string Rule, string NoRule, string UnknownRule, string Tasks, string Check, string Unanimous);

    private static readonly Words French = new("Décisions et votes", "Décision", "Pour", "Contre", "Abstention", "Résultat", "adoptée", "rejetée",
        "à vérifier", "présent·es", "règle", "aucune règle indiquée", "règle non reconnue", "Tâches", "À vérifier", "unanimité");

    private static readonly Words English = new("Decisions and votes", "Decision", "For", "Against", "Abstain", "Result", "passed", "not passed",
        "to check", "present", "rule", "no rule stated", "rule not understood", "Tasks", "To check", "unanimous");

    /// <summary>The summary followed by a blank line, a « --- » rule and a blank line: the minutes go right after it.</summary>
    public static string ToMarkdown(MinutesVotes votes)
    {
        var language = votes.Language;
        var words = language == ListLanguage.French ? French : English;
        var markdown = new StringBuilder();
        var header = new List<string> { $"**{words.Heading}**" };
        if (votes.Present is { } present)
        {
            header.Add(FormattableString.Invariant($"{present} {words.Present}"));
        }

        var colon = language == ListLanguage.French ? " : " : ": ";
        header.Add(votes.Rule is null ? words.UnknownRule
            : votes.RuleStated ? $"{words.Rule}{colon}{votes.Rule.Describe(language)}"
            : $"{words.Rule}{colon}{votes.Rule.Describe(language)} ({words.NoRule})");
        markdown.Append(string.Join(" · ", header)).Append("\n\n");

        var rows = votes.Decisions.Select(d => Row(d, words, language)).ToList();
        AppendTable(markdown, [words.Decision, words.For, words.Against, words.Abstain, words.Result], rows);

        if (votes.Tasks.Count > 0)
        {
            markdown.Append('\n').Append("**").Append(words.Tasks).Append("**\n\n");
            foreach (var task in votes.Tasks)
            {
                markdown.Append("- ").Append(task).Append('\n');
            }
        }

        if (votes.Problems.Count > 0)
        {
            markdown.Append('\n').Append("**").Append(words.Check).Append("**\n\n");
            foreach (var problem in votes.Problems)
            {
                markdown.Append("- ").Append(problem.In(language)).Append('\n');
            }
        }

        return markdown.Append("\n---\n\n").ToString();
    }

    private static string[] Row(Decision decision, Words words, ListLanguage language)
    {
        var counts = decision.Counts;
        string Count(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? (decision.Kind == VoteKind.Counted ? "?" : "");
        var first = decision.Kind switch
        {
            VoteKind.Consensus => counts.For is { } n ? FormattableString.Invariant($"consensus ({n})") : "consensus",
            VoteKind.Unanimous => counts.For is { } n ? FormattableString.Invariant($"{words.Unanimous} ({n})") : words.Unanimous,
            _ => Count(counts.For),
        };
        var result = decision.Outcome switch
        {
            VoteOutcome.Passed => words.Passed,
            VoteOutcome.Rejected => words.Rejected,
            _ => words.Undetermined,
        };
        if (decision.OwnRule && decision.Rule is { } rule)
        {
            result += $" ({rule.Brief(language)})";
        }

        return [decision.Title, first, Count(counts.Against), Count(counts.Abstain), result];
    }

    /// <summary>A pipe table with the columns padded to one width; counts aligned right.</summary>
    private static void AppendTable(StringBuilder markdown, string[] header, List<string[]> rows)
    {
        var cells = rows.Prepend(header).Select(r => r.Select(Escape).ToArray()).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => Math.Max(3, cells.Max(r => Width(r[c])))).ToArray();
        bool Right(int column) => column is 1 or 2 or 3;
        string Pad(string text, int column) => Right(column)
            ? new string(' ', widths[column] - Width(text)) + text
            : text + new string(' ', widths[column] - Width(text));

        markdown.Append("| ").Append(string.Join(" | ", cells[0].Select(Pad))).Append(" |\n");
        markdown.Append('|').Append(string.Join('|', widths.Select((w, c) => Right(c) ? new string('-', w + 1) + ":" : new string('-', w + 2)))).Append("|\n");
        foreach (var row in cells.Skip(1))
        {
            markdown.Append("| ").Append(string.Join(" | ", row.Select(Pad))).Append(" |\n");
        }
    }

    /// <summary>A « | » in a title would end its cell; « \| » keeps it as text in Markdig and still reads plainly.</summary>
    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    private static int Width(string text) => new StringInfo(text).LengthInTextElements;
}
