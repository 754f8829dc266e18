using System.Text;
using MimeKit.Text;

namespace SecureMinutes.MailIn;

/// <summary>
/// The words of an HTML-only mail (the sender's HTML is never passed on): paragraphs and headings separated
/// by a blank line, <c>br</c>, list items and table rows by a line break; scripts, styles and RFC 9788's
/// legacy display <c>div class="header-protection-legacy-display"</c> left out. MimeKit has an HTML
/// tokenizer (which decodes character references) but no HTML-to-text converter, hence these few lines.
/// </summary>
internal static partial class HtmlText
{
    private const string LegacyDisplayClass = "header-protection-legacy-display";

    public static string Convert(string html)
    {
        var text = new StringBuilder();
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        var skipping = false;
        var legacyDivDepth = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken { Id: HtmlTagId.Div } div when legacyDivDepth > 0:
                    legacyDivDepth += div.IsEndTag ? -1 : div.IsEmptyElement ? 0 : 1;
                    break;
                case HtmlTagToken { Id: HtmlTagId.Div, IsEndTag: false } div when div.Attributes.Any(a => a.Id == HtmlAttributeId.Class
                    && (a.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(LegacyDisplayClass)):
                    legacyDivDepth = div.IsEmptyElement ? 0 : 1;
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case HtmlTagToken tag when tag.IsEndTag && tag.Id is HtmlTagId.P or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3
                    or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6 or HtmlTagId.Pre or HtmlTagId.BlockQuote or HtmlTagId.Table:
                    text.Append("\n\n");
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br || (tag.IsEndTag && tag.Id is HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when !skipping && legacyDivDepth == 0:
                    // White space in HTML source (line breaks included) is one space; only elements break lines.
                    text.Append(SourceWhiteSpace().Replace(data.Data, " "));
                    break;
            }
        }

        return Tidy(text.ToString());
    }

    /// <summary>Lines trimmed, at most one blank line between blocks, one line end at the end.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).ToList();
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blank = 0;
        }

        return result.Length == 0 ? "" : result.Append('\n').ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex("[ \t\r\n\f]+")]
    private static partial System.Text.RegularExpressions.Regex SourceWhiteSpace();
}
