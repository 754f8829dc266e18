using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureMinutes.Minutes.Votes;

/// <summary>
/// Reading minutes line by line as note-takers type them, in a pad or in Markdown: « Vote : … » with or without a
/// space before the colon (French typography puts a no-break space there), in bold, after a list marker or a quote.
/// </summary>
internal static partial class MinutesText
{
    /// <summary>Lower case, accents removed, typographic spaces and apostrophes made plain: « Présent·es » → "present·es".</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(c switch
            {
                '\u2019' or '\u2018' or '\u02BC' => '\'',
                _ when char.IsWhiteSpace(c) => ' ',
                _ => char.ToLowerInvariant(c),
            });
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Only the letters of a label, folded: « Présent·es », « Présent(e)s », « Présents » → "presentes", "presentes", "presents".</summary>
    public static string Letters(string text) => new(Fold(text).Where(char.IsLetter).ToArray());

    /// <summary>
    /// Splits « LABEL : value » (also « **Vote** : », « **Vote :** », « - Vote: », « > Vote : »). False for lines
    /// without a colon, or whose "label" is a sentence rather than a label.
    /// </summary>
    public static bool TrySplitLabel(string line, out string label, out string value)
    {
        label = value = "";
        var text = LeadingMarker().Replace(line.Trim(), "");
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 80)
        {
            return false;
        }

        label = text[..colon].Replace("*", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        value = text[(colon + 1)..].TrimStart(' ', '\t', '\u00A0', '\u202F', '*', '_').TrimEnd();
        return label.Length > 0;
    }

    /// <summary>An ATX heading (« ## 2. Budget ») as its level and text; pads keep the « # » the template put there.</summary>
    public static bool TryHeading(string line, out int level, out string text)
    {
        var match = Heading().Match(line);
        level = match.Success ? match.Groups[1].Length : 0;
        text = match.Success ? match.Groups[2].Value.Trim().TrimEnd('#').Trim() : "";
        return match.Success && text.Length > 0;
    }

    /// <summary>A list item's text (« - », « * », « + », « 1. », with or without a « [ ] » box), or null for other lines.</summary>
    public static string? ListItem(string line)
    {
        var match = Item().Match(line);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    /// <summary>The text with every « (…) » removed: asides such as « (74 votant·es) » hold no counts.</summary>
    public static string WithoutAsides(string text) => Aside().Replace(text, " ");

    /// <summary>
    /// Collapses runs of spaces and cuts at a word boundary, for titles in a one-line table cell; control characters
    /// (a terminal's escape sequences, typed or pasted into a pad) become U+FFFD, since titles reach the CLI's warnings.
    /// </summary>
    public static string Shorten(string text, int maxLength)
    {
        var collapsed = new string(Spaces().Replace(text, " ").Trim().Select(c => char.IsControl(c) ? '\uFFFD' : c).ToArray());
        if (collapsed.Length <= maxLength)
        {
            return collapsed;
        }

        var cut = collapsed.LastIndexOf(' ', maxLength - 1);
        return collapsed[..(cut > maxLength / 2 ? cut : maxLength - 1)].TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    /// <summary>True when a line holds something besides punctuation and blanks: « - ___ » and « - … » are template leftovers.</summary>
    public static bool HasContent(string text) => text.Any(char.IsLetterOrDigit);

    [GeneratedRegex(@"^(?:(?:[-*+>]|\d{1,2}[.)])[ \t]+)+")]
    private static partial Regex LeadingMarker();

    [GeneratedRegex(@"^[ \t]{0,3}(#{1,6})[ \t]+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(.*)$")]
    private static partial Regex Item();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Aside();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
