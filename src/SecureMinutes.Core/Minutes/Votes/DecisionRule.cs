using System.Globalization;
using System.Text.RegularExpressions;
using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Votes;

public enum DecisionRuleKind
{
    /// <summary>More for than against; abstentions do not count (« majorité simple des votes exprimés »).</summary>
    SimpleMajority,

    /// <summary>More for than half of everyone who voted, abstentions included (abstaining then weighs like against).</summary>
    AbsoluteMajority,

    /// <summary>For at least a fraction (2/3, 60 %) of the votes cast, for + against.</summary>
    QualifiedMajority,

    /// <summary>No one against: recorded as « consensus » or « unanimité », or counted with no vote against.</summary>
    Consensus,

    /// <summary>Everyone for (« majorité totale »): no vote against and no abstention.</summary>
    Unanimity,
}

/// <summary>
/// The rule an AG agreed at its start for its decisions (the brochure: « faut-il une majorité qualifiée ou totale,
/// comment est prise en compte l'abstention »), read from a line such as « Règle de décision : majorité qualifiée 2/3 ».
/// </summary>
public sealed partial record DecisionRule(DecisionRuleKind Kind, int Numerator = 1, int Denominator = 2)
{
    /// <summary>Simple majority of votes cast: the rule when the minutes state none (and the summary says so).</summary>
    public static readonly DecisionRule Simple = new(DecisionRuleKind.SimpleMajority);

    /// <summary>
    /// The rule a text names, or null when it names none this understands (the caller reports it; no rule is guessed).
    /// Majorities are read first, so « majorité simple, sinon consensus » is a simple majority.
    /// </summary>
    public static DecisionRule? Parse(string text)
    {
        var plain = MinutesText.Fold(text);
        if (plain.Contains("majorit", StringComparison.Ordinal) || plain.Contains("majority", StringComparison.Ordinal) || Fraction().IsMatch(plain)
            || Percent().IsMatch(plain) || plain.Contains("tiers", StringComparison.Ordinal) || plain.Contains("thirds", StringComparison.Ordinal))
        {
            if (QualifiedShare(plain) is { } share)
            {
                return share;
            }

            if (plain.Contains("absolu", StringComparison.Ordinal))
            {
                return new DecisionRule(DecisionRuleKind.AbsoluteMajority);
            }

            if (plain.Contains("qualifi", StringComparison.Ordinal) || plain.Contains("renforc", StringComparison.Ordinal))
            {
                return null; // "qualified" by how much? 2/3 and 3/5 are both common.
            }

            if (plain.Contains("total", StringComparison.Ordinal))
            {
                return new DecisionRule(DecisionRuleKind.Unanimity);
            }

            return Simple;
        }

        if (plain.Contains("consensus", StringComparison.Ordinal))
        {
            return new DecisionRule(DecisionRuleKind.Consensus);
        }

        return plain.Contains("unanim", StringComparison.Ordinal) ? new DecisionRule(DecisionRuleKind.Unanimity) : null;
    }

    private static DecisionRule? QualifiedShare(string plain)
    {
        if (Fraction().Match(plain) is { Success: true } fraction)
        {
            var numerator = int.Parse(fraction.Groups[1].Value, CultureInfo.InvariantCulture);
            var denominator = int.Parse(fraction.Groups[2].Value, CultureInfo.InvariantCulture);
            return numerator > 0 && numerator < denominator ? new DecisionRule(DecisionRuleKind.QualifiedMajority, numerator, denominator) : null;
        }

        if (Percent().Match(plain) is { Success: true } percent)
        {
            var share = int.Parse(percent.Groups[1].Value, CultureInfo.InvariantCulture);
            return share is > 0 and < 100 ? new DecisionRule(DecisionRuleKind.QualifiedMajority, share, 100) : null;
        }

        if (plain.Contains("deux tiers", StringComparison.Ordinal) || plain.Contains("two thirds", StringComparison.Ordinal) || plain.Contains("two-thirds", StringComparison.Ordinal))
        {
            return new DecisionRule(DecisionRuleKind.QualifiedMajority, 2, 3);
        }

        return plain.Contains("trois quarts", StringComparison.Ordinal) || plain.Contains("three quarters", StringComparison.Ordinal)
            ? new DecisionRule(DecisionRuleKind.QualifiedMajority, 3, 4)
            : null;
    }

    /// <summary>
    /// The outcome of one vote under this rule. A vote recorded as consensus or unanimity passes under every rule
    /// (nobody objected); counted votes need their counts, and a missing one leaves the outcome undetermined.
    /// </summary>
    public VoteOutcome Decide(VoteKind kind, VoteCounts counts)
    {
        if (kind is VoteKind.Unanimous || (kind is VoteKind.Consensus && Kind is not DecisionRuleKind.Unanimity))
        {
            return VoteOutcome.Passed;
        }

        if (counts.For is not { } pro || counts.Against is not { } contra)
        {
            return VoteOutcome.Undetermined;
        }

        var passed = Kind switch
        {
            DecisionRuleKind.SimpleMajority => pro > contra,
            DecisionRuleKind.QualifiedMajority => pro > 0 && (long)pro * Denominator >= (long)Numerator * (pro + contra),
            DecisionRuleKind.Consensus => pro > 0 && contra == 0,
            DecisionRuleKind.AbsoluteMajority when counts.Abstain is { } abstain => 2L * pro > (long)pro + contra + abstain,
            DecisionRuleKind.Unanimity when counts.Abstain is { } abstain => pro > 0 && contra == 0 && abstain == 0,
            _ => (bool?)null, // the abstentions decide under these rules, and they are missing
        };
        return passed switch { true => VoteOutcome.Passed, false => VoteOutcome.Rejected, null => VoteOutcome.Undetermined };
    }

    /// <summary>The rule in words, as the summary states it.</summary>
    public string Describe(ListLanguage language) => (Kind, language) switch
    {
        (DecisionRuleKind.SimpleMajority, ListLanguage.French) => "majorité simple des votes exprimés",
        (DecisionRuleKind.SimpleMajority, _) => "simple majority of votes cast",
        (DecisionRuleKind.AbsoluteMajority, ListLanguage.French) => "majorité absolue (abstentions comptées)",
        (DecisionRuleKind.AbsoluteMajority, _) => "absolute majority (abstentions counted)",
        (DecisionRuleKind.QualifiedMajority, ListLanguage.French) => $"majorité qualifiée de {Share} des votes exprimés",
        (DecisionRuleKind.QualifiedMajority, _) => $"qualified majority of {Share} of votes cast",
        (DecisionRuleKind.Consensus, _) => "consensus",
        (DecisionRuleKind.Unanimity, ListLanguage.French) => "unanimité",
        (DecisionRuleKind.Unanimity, _) => "unanimity",
        _ => Kind.ToString(),
    };

    /// <summary>The rule in a word or two, for a vote held under another rule than the AG's.</summary>
    public string Brief(ListLanguage language) => Kind switch
    {
        DecisionRuleKind.QualifiedMajority => Share,
        DecisionRuleKind.AbsoluteMajority => language == ListLanguage.French ? "majorité absolue" : "absolute majority",
        _ => Describe(language),
    };

    private string Share => Denominator == 100
        ? FormattableString.Invariant($"{Numerator} %")
        : FormattableString.Invariant($"{Numerator}/{Denominator}");

    [GeneratedRegex(@"\b(\d{1,3})\s*/\s*(\d{1,3})\b")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"\b(\d{1,2})\s*%")]
    private static partial Regex Percent();
}
