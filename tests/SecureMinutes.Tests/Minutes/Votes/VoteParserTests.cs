using SecureMinutes.Lists;
using SecureMinutes.Minutes.Votes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Minutes.Votes;

/// <summary>
/// The vote lines note-takers type, in French and English, read into counts and outcomes under the AG's rule;
/// anything that does not add up is reported, never corrected.
/// </summary>
public sealed class VoteParserTests
{
    private static Decision OnlyDecision(string minutes) => Assert.Single(VoteParser.Parse(minutes).Decisions);

    [Fact]
    public void Parse_ReadsTheTemplatesFrenchVoteLine_UnderTheStatedRule()
    {
        var votes = VoteParser.Parse("""
            Présent·es : 84
            Règle de décision : majorité simple des votes exprimés

            ## 2. Budget 2027

            Proposition : adopter le budget
            Vote : pour 52 / contre 12 / abstention 6
            """);

        var decision = Assert.Single(votes.Decisions);
        Assert.Equal(ListLanguage.French, votes.Language);
        Assert.Equal(84, votes.Present);
        Assert.Equal(DecisionRuleKind.SimpleMajority, votes.Rule!.Kind);
        Assert.True(votes.RuleStated);
        Assert.Equal("2. Budget 2027", decision.Title);
        Assert.Equal(new VoteCounts(52, 12, 6), decision.Counts);
        Assert.Equal(VoteOutcome.Passed, decision.Outcome);
        Assert.Equal(7, decision.Line);
        Assert.Empty(votes.Problems);
    }

    [Fact]
    public void Parse_ReadsEnglishVoteLines_AndSpeaksEnglish()
    {
        var votes = VoteParser.Parse("""
            Present: 40
            Decision rule: qualified majority 2/3

            ## Rent strike
            Vote: for 20, against 11, abstain 2
            """);

        var decision = Assert.Single(votes.Decisions);
        Assert.Equal(ListLanguage.English, votes.Language);
        Assert.Equal(new VoteCounts(20, 11, 2), decision.Counts);
        Assert.Equal(new DecisionRule(DecisionRuleKind.QualifiedMajority, 2, 3), decision.Rule);
        Assert.Equal(VoteOutcome.Rejected, decision.Outcome); // 20 of 31 cast is under 2/3
    }

    [Theory]
    [InlineData("Vote : pour 52 / contre 12 / abstention 6")]
    [InlineData("   Vote   :    pour   52  /contre 12/   abstention    6   ")]
    [InlineData("Vote\u00A0: pour\u00A052 · contre\u202F12 · abstention 6")]
    [InlineData("**Vote** : 52 pour, 12 contre, 6 abstentions → **adoptée**.")]
    [InlineData("- **Vote :** pour : 52 ; contre : 12 ; abstentions : 6")]
    [InlineData("> VOTE: POUR 52 CONTRE 12 ABSTENTION 6")]
    [InlineData("Vote : 52 voix pour, 12 voix contre, 6 abstentions (58 votant·es)")]
    [InlineData("Vote : pour 52 (dont 3 procurations), contre 12, abstention 6")]
    [InlineData("vote: for 52 / against 12 / abstain 6")]
    [InlineData("Vote: 52 for, 12 against, 6 abstained")]
    public void Parse_ReadsTheSameCounts_WhateverTheSpacingOrderOrEmphasis(string line)
    {
        var decision = OnlyDecision(line);

        Assert.Equal(VoteKind.Counted, decision.Kind);
        Assert.Equal(new VoteCounts(52, 12, 6), decision.Counts);
        Assert.Equal(VoteOutcome.Passed, decision.Outcome);
    }

    [Theory]
    [InlineData("Vote : pour 30 / contre ___ / abstention 2", "against", VoteOutcome.Undetermined)]
    [InlineData("Vote : pour 30 / abstention 2", "against", VoteOutcome.Undetermined)]
    [InlineData("Vote : pour ___ / contre ___ / abstention ___", "all", VoteOutcome.Undetermined)]
    // Under a simple majority abstentions do not decide: the outcome stands, the missing count is still reported.
    [InlineData("Vote: for 30, against 4", "abstain", VoteOutcome.Passed)]
    public void Parse_ReportsMissingCounts_AndGivesNoOutcomeThatNeedsThem(string line, string missing, VoteOutcome outcome)
    {
        var votes = VoteParser.Parse("## Point\n" + line);

        var decision = Assert.Single(votes.Decisions);
        var problem = Assert.Single(votes.Problems);
        Assert.Equal(VoteProblemKind.MissingCount, problem.Kind);
        Assert.Equal(2, problem.Line);
        Assert.Contains(missing == "all" ? "for, against, abstain" : missing, problem.English, StringComparison.Ordinal);
        Assert.Equal(outcome, decision.Outcome);
        Assert.False(decision.Counts.IsComplete);
    }

    [Theory]
    [InlineData("Vote : unanimité", VoteKind.Unanimous)]
    [InlineData("Vote : à l'unanimité (84 voix)", VoteKind.Unanimous)]
    [InlineData("Vote : adoptée à l’unanimité", VoteKind.Unanimous)]
    [InlineData("Vote: unanimous", VoteKind.Unanimous)]
    [InlineData("Vote : consensus", VoteKind.Consensus)]
    [InlineData("Vote: consensus, no objection", VoteKind.Consensus)]
    public void Parse_ReadsUnanimityAndConsensus_AsPassedWithoutCounts(string line, VoteKind kind)
    {
        var votes = VoteParser.Parse("Règle de décision : majorité qualifiée 2/3\n## Point\n" + line);

        var decision = Assert.Single(votes.Decisions);
        Assert.Equal(kind, decision.Kind);
        Assert.Equal(VoteOutcome.Passed, decision.Outcome);
        Assert.Empty(votes.Problems);
    }

    [Theory]
    // Simple majority of votes cast: abstentions do not count; a tie is not a majority.
    [InlineData("majorité simple des votes exprimés", 10, 9, 50, VoteOutcome.Passed)]
    [InlineData("majorité simple", 10, 10, 0, VoteOutcome.Rejected)]
    [InlineData("simple majority of votes cast", 3, 2, 0, VoteOutcome.Passed)]
    // Absolute majority: more than half of everyone who voted, abstentions included.
    [InlineData("majorité absolue", 10, 9, 2, VoteOutcome.Rejected)]
    [InlineData("absolute majority", 12, 9, 2, VoteOutcome.Passed)]
    // Qualified majority of votes cast: exactly the share passes, one less does not.
    [InlineData("majorité qualifiée 2/3", 20, 10, 40, VoteOutcome.Passed)]
    [InlineData("majorité qualifiée des deux tiers", 19, 10, 0, VoteOutcome.Rejected)]
    [InlineData("qualified majority 3/5", 3, 2, 0, VoteOutcome.Passed)]
    [InlineData("majorité de 60 %", 59, 41, 0, VoteOutcome.Rejected)]
    [InlineData("two thirds majority", 2, 1, 0, VoteOutcome.Passed)]
    // Consensus: nobody against (standing aside is fine). Unanimity (« majorité totale »): nobody against or abstaining.
    [InlineData("consensus", 40, 0, 3, VoteOutcome.Passed)]
    [InlineData("consensus", 40, 1, 0, VoteOutcome.Rejected)]
    [InlineData("majorité totale", 40, 0, 1, VoteOutcome.Rejected)]
    [InlineData("unanimité", 40, 0, 0, VoteOutcome.Passed)]
    public void Parse_DecidesEachCountedVote_UnderEachMajorityRule(string rule, int pro, int contra, int abstain, VoteOutcome expected)
    {
        var decision = OnlyDecision($"Règle de décision : {rule}\n## Point\nVote : pour {pro} / contre {contra} / abstention {abstain}");

        Assert.NotNull(decision.Rule);
        Assert.Equal(expected, decision.Outcome);
    }

    [Fact]
    public void Parse_AppliesAVotesOwnRule_OnlyToThatVote()
    {
        var votes = VoteParser.Parse("""
            Règle de décision : majorité simple
            ## 1. Statuts
            Vote (2/3) : pour 60 / contre 40 / abstention 0
            ## 2. Local
            Vote : pour 60 / contre 40 / abstention 0
            """);

        Assert.Equal([VoteOutcome.Rejected, VoteOutcome.Passed], votes.Decisions.Select(d => d.Outcome));
        Assert.True(votes.Decisions[0].OwnRule);
        Assert.Equal(DecisionRuleKind.QualifiedMajority, votes.Decisions[0].Rule!.Kind);
        Assert.False(votes.Decisions[1].OwnRule);
    }

    [Fact]
    public void Parse_FlagsMoreVotesThanPeoplePresent_WithoutChangingTheCounts()
    {
        var votes = VoteParser.Parse("Présent·es : 84\n## Budget\nVote : pour 60 / contre 20 / abstention 10");

        var problem = Assert.Single(votes.Problems);
        Assert.Equal(VoteProblemKind.MoreVotesThanPresent, problem.Kind);
        Assert.Contains("90 votes (60 for, 20 against, 10 abstain) but 84 present", problem.English, StringComparison.Ordinal);
        Assert.Contains("90 voix (60 pour, 20 contre, 10 abstention) pour 84 présent·es", problem.French, StringComparison.Ordinal);
        Assert.Equal(new VoteCounts(60, 20, 10), votes.Decisions[0].Counts);
        Assert.Equal(VoteOutcome.Passed, votes.Decisions[0].Outcome);
    }

    [Theory]
    [InlineData("Présent·es : environ 80 personnes")]
    [InlineData("Présents : Hélène, François, Zoë")]
    [InlineData("Présent·es : ___")]
    public void Parse_TakesNoPresenceCount_UnlessTheLineStartsWithANumber(string presence)
    {
        var votes = VoteParser.Parse($"{presence}\n## Budget\nVote : pour 60 / contre 20 / abstention 10");

        Assert.Null(votes.Present);
        Assert.Empty(votes.Problems);
    }

    [Theory]
    [InlineData("Vote : unanimité, contre 2", VoteProblemKind.Contradiction)]
    [InlineData("Vote : pour 12, pour 13, contre 1, abstention 0", VoteProblemKind.RepeatedCount)]
    [InlineData("Vote : 10 pour, 20 contre, 0 abstention → adoptée", VoteProblemKind.StatedOutcomeDiffers)]
    [InlineData("Vote : 30 pour, 20 contre, 0 abstention → non adoptée", VoteProblemKind.StatedOutcomeDiffers)]
    [InlineData("Vote (majorité qualifiée) : pour 30 / contre 20 / abstention 0", VoteProblemKind.UnknownRule)]
    public void Parse_ReportsCountsThatContradictThemselves(string line, VoteProblemKind kind)
    {
        var votes = VoteParser.Parse("## Point\n" + line);

        Assert.Equal(kind, Assert.Single(votes.Problems).Kind);
    }

    [Fact]
    public void Parse_ReportsAnUnknownRule_AndDecidesNothingButUnanimity()
    {
        var votes = VoteParser.Parse("Règle de décision : majorité qualifiée\n## A\nVote : pour 30 / contre 2 / abstention 0\n## B\nVote : unanimité");

        Assert.Null(votes.Rule);
        Assert.Equal(VoteProblemKind.UnknownRule, Assert.Single(votes.Problems).Kind);
        Assert.Equal([VoteOutcome.Undetermined, VoteOutcome.Passed], votes.Decisions.Select(d => d.Outcome));
    }

    [Fact]
    public void Parse_UsesSimpleMajority_WhenNoRuleIsStated_AndSaysSo()
    {
        var votes = VoteParser.Parse("## Point\nVote : pour 3 / contre 2 / abstention 9");

        Assert.False(votes.RuleStated);
        Assert.Equal(DecisionRule.Simple, votes.Rule);
        Assert.Equal(VoteOutcome.Passed, votes.Decisions[0].Outcome);
    }

    [Theory]
    [InlineData("1. Approbation des comptes — voté à l'unanimité ✅\nPrésents : Hélène Dupré, François Lefèvre")]
    [InlineData("Vote : à main levée, sans opposition")]
    [InlineData("Le vote pour le budget est reporté.\nPour : Camille, contre : personne")]
    [InlineData("```\nVote : pour 1 / contre 0 / abstention 0\n```")]
    [InlineData("")]
    public void Parse_FindsNoVotes_InOrdinaryMinutes(string minutes)
    {
        Assert.False(VoteParser.Parse(minutes).HasVotes);
    }

    [Fact]
    public void Parse_NamesEachVote_ByItsHeading_AndByItsProposalWhenAHeadingHasSeveral()
    {
        var votes = VoteParser.Parse("""
            ## 3. Rassemblement
            Proposition : samedi 12 décembre à 10 h 30
            Vote : pour 40 / contre 2 / abstention 1
            Proposition : avec une soupe chaude
            Vote : consensus
            ## 4. Caisse
            Vote : consensus
            """);

        Assert.Equal(["3. Rassemblement — samedi 12 décembre à 10 h 30", "3. Rassemblement — avec une soupe chaude", "4. Caisse"], votes.Decisions.Select(d => d.Title));
    }

    [Fact]
    public void Parse_KeepsControlCharactersOfATitle_OutOfTheWarnings()
    {
        var votes = VoteParser.Parse("## Budget \u001b[2J\u001b]0;pwned\u0007\nVote : pour 3 / contre ___ / abstention 0");

        var problem = Assert.Single(votes.Problems);
        Assert.DoesNotContain(problem.English, char.IsControl);
        Assert.StartsWith("vote on « Budget \uFFFD[2J\uFFFD]0;pwned\uFFFD »", problem.English, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TakesTheTasks_FromListItemsAndTableRows_OfTheTasksSection()
    {
        var votes = VoteParser.Parse("""
            ## Point
            Vote : consensus

            ## Tâches (qui : quoi, pour quand)

            - Camille : réserver la salle, avant le 15 janvier
            - [ ] Sacha : écrire au bailleur
            -
            - ___

            ### Logistique
            | Action | Qui | Quand |
            |--------|-----|-------|
            | Soupe | Awa | 12 décembre |

            ## Prochaine AG
            - pas une tâche
            """);

        Assert.Equal(["Camille : réserver la salle, avant le 15 janvier", "Sacha : écrire au bailleur", "Soupe — Awa — 12 décembre"], votes.Tasks);
    }

    [Fact]
    public void Parse_ReadsTheSampleMinutes_AsTheirNoteTakersWroteThem()
    {
        var votes = VoteParser.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "seeds", "minutes-ag-2026-11-21.md")));

        Assert.Equal(ListLanguage.French, votes.Language);
        Assert.Null(votes.Present); // « environ 80 personnes » is not a count
        Assert.Equal(DecisionRuleKind.SimpleMajority, votes.Rule!.Kind);
        Assert.Equal(
            ["2. Régularisation des charges de chauffage", "3. Rassemblement devant l’agence du bailleur", "5. Communication interne"],
            votes.Decisions.Select(d => d.Title));
        Assert.Equal([new VoteCounts(66, 4, 8), new VoteCounts(61, 6, 11), new VoteCounts(58, 2, 14)], votes.Decisions.Select(d => d.Counts));
        Assert.All(votes.Decisions, d => Assert.Equal(VoteOutcome.Passed, d.Outcome));
        Assert.Equal(6, votes.Tasks.Count);
        Assert.Equal("Rédiger la lettre collective et la faire relire — Théo, Awa — d’ici le 28 novembre", votes.Tasks[0]);
        Assert.Empty(votes.Problems);
    }
}
