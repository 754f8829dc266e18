using SecureMinutes.Lists;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Minutes.Votes;

namespace SecureMinutes.Tests.Minutes.Preparation;

/// <summary>The built-in AG template speaks the list's language, and its vote lines are the ones the parser reads.</summary>
public sealed class AgTemplateTests
{
    [Theory]
    [InlineData(ListLanguage.French, "AG du samedi 12 décembre 2026", "Date : samedi 12 décembre 2026")]
    [InlineData(ListLanguage.English, "General assembly, Saturday 12 December 2026", "Date: Saturday 12 December 2026")]
    public void DefaultTemplate_NamesTheRolesRuleAndVotes_AndItsVoteLinesAreFlaggedUntilFilledIn(ListLanguage language, string title, string date)
    {
        var text = AgTemplate.Fill(AgTemplate.Default(language), new DateOnly(2026, 12, 12), null, language);

        Assert.StartsWith($"# {title}\n", text, StringComparison.Ordinal);
        Assert.Contains(date, text, StringComparison.Ordinal);
        var untouched = VoteParser.Parse(text);
        Assert.Equal(language, untouched.Language);
        Assert.Equal(3, untouched.Decisions.Count);
        Assert.Equal(DecisionRuleKind.SimpleMajority, untouched.Rule!.Kind);
        Assert.All(untouched.Problems, p => Assert.Equal(VoteProblemKind.MissingCount, p.Kind));
        Assert.Equal(3, untouched.Problems.Count);
        Assert.Empty(untouched.Tasks);

        var filled = text
            .Replace(language == ListLanguage.French ? "Présent·es : " : "Present: ", language == ListLanguage.French ? "Présent·es : 84" : "Present: 84", StringComparison.Ordinal)
            .Replace("___ / ", "10 / ", StringComparison.Ordinal).Replace(" ___\n", " 2\n", StringComparison.Ordinal);
        filled = filled.Insert(filled.IndexOf("- \n\n## ", filled.IndexOf(language == ListLanguage.French ? "## Tâches" : "## Tasks", StringComparison.Ordinal), StringComparison.Ordinal) + 2, "Camille");
        var votes = VoteParser.Parse(filled);
        Assert.Equal(84, votes.Present);
        Assert.All(votes.Decisions, d => Assert.Equal(new VoteCounts(10, 10, 2), d.Counts));
        Assert.All(votes.Decisions, d => Assert.Equal(VoteOutcome.Rejected, d.Outcome));
        Assert.Equal(["Camille"], votes.Tasks);
        Assert.Empty(votes.Problems);
    }
}
