using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// The value of a « Vote : » line, in the template's form or as note-takers usually write it:
/// « pour 52 / contre 12 / abstention 6 », « 66 pour, 4 contre, 8 abstentions → adoptée »,
/// « for 40, against 3, abstain 2 », « consensus », « à l'unanimité ». Whichever comes first, a number or a
/// word, decides whether numbers precede or follow their word, so « pour 52 contre 12 » is never misread.
/// </summary>
internal sealed partial record VoteLine(VoteKind Kind, VoteCounts Counts, VoteOutcome? Stated, IReadOnlyList<string> Repeated, IReadOnlyList<string> Missing,
    int FrenchWords, int EnglishWords)
{
    private enum Word
    {
        For,
        Against,
        Abstain,
        Consensus,
        Unanimous,
        Passed,
        Rejected,
        Not,
        Filler,
    }

    private static readonly Dictionary<string, (Word Word, bool French, bool NeedsNumber)> Words = new(StringComparer.Ordinal)
    {
        ["pour"] = (Word.For, true, true), ["for"] = (Word.For, false, true),
        ["contre"] = (Word.Against, true, true), ["against"] = (Word.Against, false, true),
        ["abstention"] = (Word.Abstain, true, true), ["abstentions"] = (Word.Abstain, true, true), ["abst"] = (Word.Abstain, true, true),
        ["abstain"] = (Word.Abstain, false, true), ["abstains"] = (Word.Abstain, false, true), ["abstained"] = (Word.Abstain, false, true),
        // Yes/no words only count next to a number: « oui », « non », « no » also occur in plain sentences.
        ["oui"] = (Word.For, true, false), ["yes"] = (Word.For, false, false),
        ["non"] = (Word.Against, true, false), ["no"] = (Word.Against, false, false),
        ["consensus"] = (Word.Consensus, true, false),
        ["unanimite"] = (Word.Unanimous, true, false), ["unanime"] = (Word.Unanimous, true, false), ["unanimement"] = (Word.Unanimous, true, false),
        ["unanimity"] = (Word.Unanimous, false, false), ["unanimous"] = (Word.Unanimous, false, false), ["unanimously"] = (Word.Unanimous, false, false),
        ["adopte"] = (Word.Passed, true, false), ["adoptee"] = (Word.Passed, true, false), ["adoptees"] = (Word.Passed, true, false), ["adoptes"] = (Word.Passed, true, false),
        ["approuve"] = (Word.Passed, true, false), ["approuvee"] = (Word.Passed, true, false), ["acceptee"] = (Word.Passed, true, false),
        ["passed"] = (Word.Passed, false, false), ["adopted"] = (Word.Passed, false, false), ["carried"] = (Word.Passed, false, false), ["approved"] = (Word.Passed, false, false),
        ["rejete"] = (Word.Rejected, true, false), ["rejetee"] = (Word.Rejected, true, false), ["refuse"] = (Word.Rejected, true, false), ["refusee"] = (Word.Rejected, true, false),
        ["rejected"] = (Word.Rejected, false, false), ["failed"] = (Word.Rejected, false, false), ["defeated"] = (Word.Rejected, false, false),
        ["not"] = (Word.Not, false, false),
        ["voix"] = (Word.Filler, true, false), ["votes"] = (Word.Filler, false, false), ["vote"] = (Word.Filler, false, false),
        ["personnes"] = (Word.Filler, true, false), ["people"] = (Word.Filler, false, false),
    };

    /// <summary>The vote a line's value records, or null when it names no count, consensus or unanimity (« Vote : à main levée »).</summary>
    public static VoteLine? Parse(string value)
    {
        var tokens = Token().Matches(MinutesText.Fold(MinutesText.WithoutAsides(value))).Select(m => m.Value).ToList();
        bool IsNumber(int i) => i >= 0 && i < tokens.Count && char.IsDigit(tokens[i][0]);
        Word? WordAt(int i) => i >= 0 && i < tokens.Count && Words.TryGetValue(tokens[i], out var w) ? w.Word : null;

        var counted = new Dictionary<Word, int?>();
        var repeated = new List<string>();
        var used = new HashSet<int>();
        var (consensus, unanimous, french, english) = (false, false, 0, 0);
        VoteOutcome? stated = null;
        var numbersFirst = tokens.FirstOrDefault(t => char.IsDigit(t[0]) || Words.TryGetValue(t, out var w) && w.NeedsNumber) is { } first && char.IsDigit(first[0]);

        for (var i = 0; i < tokens.Count; i++)
        {
            if (!Words.TryGetValue(tokens[i], out var entry))
            {
                continue;
            }

            switch (entry.Word)
            {
                case Word.Consensus:
                    consensus = true;
                    break;
                case Word.Unanimous:
                    unanimous = true;
                    break;
                case Word.Passed:
                    stated ??= VoteOutcome.Passed;
                    break;
                case Word.Rejected:
                    stated ??= VoteOutcome.Rejected;
                    break;
                case Word.Against when tokens[i] is "non" or "not" && WordAt(i + 1) == Word.Passed:
                    // « non adoptée », "not passed": a result, not a count.
                    stated ??= VoteOutcome.Rejected;
                    i++;
                    continue;
                case Word.Not when WordAt(i + 1) == Word.Passed:
                    stated ??= VoteOutcome.Rejected;
                    i++;
                    continue;
                case Word.For or Word.Against or Word.Abstain:
                    var at = NumberNear(i, numbersFirst ? -1 : 1);
                    if (at is null && !entry.NeedsNumber)
                    {
                        continue;
                    }

                    if (at is { } n)
                    {
                        used.Add(n);
                    }

                    if (!counted.TryAdd(entry.Word, at is { } index ? Count(tokens[index]) : null))
                    {
                        repeated.Add(tokens[i]);
                    }

                    break;
                default:
                    continue;
            }

            if (entry.Word != Word.Consensus)
            {
                // « consensus » is the same word in both languages; everything else tells which one the minutes speak.
                (french, english) = entry.French ? (french + 1, english) : (french, english + 1);
            }
        }

        if (counted.Count == 0 && !consensus && !unanimous)
        {
            return null;
        }

        var counts = new VoteCounts(counted.GetValueOrDefault(Word.For), counted.GetValueOrDefault(Word.Against), counted.GetValueOrDefault(Word.Abstain));
        var kind = unanimous ? VoteKind.Unanimous : consensus ? VoteKind.Consensus : VoteKind.Counted;
        // A consensus may come without counts; a counted vote needs all three (« abstention 0 » when nobody abstained).
        var missing = kind == VoteKind.Counted
            ? new[] { (Word.For, "for"), (Word.Against, "against"), (Word.Abstain, "abstain") }.Where(w => counted.GetValueOrDefault(w.Item1) is null).Select(w => w.Item2).ToList()
            : [];
        return new VoteLine(kind, counts, stated, repeated, missing, french, english);

        int? NumberNear(int i, int direction)
        {
            for (var j = i + direction; j >= 0 && j < tokens.Count; j += direction)
            {
                if (IsNumber(j))
                {
                    return used.Contains(j) ? null : j;
                }

                if (WordAt(j) != Word.Filler)
                {
                    return null;
                }
            }

            return null;
        }
    }

    /// <summary>A count as written; one beyond any assembly's size is kept as it is and shows up as not adding up.</summary>
    private static int? Count(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    [GeneratedRegex(@"\d+|[a-z]+")]
    private static partial Regex Token();
}
