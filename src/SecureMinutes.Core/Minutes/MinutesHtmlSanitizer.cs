using Ganss.Xss;

namespace SecureMinutes.Minutes;

/// <summary>
/// The second layer behind <see cref="MarkdownRenderer"/>: HtmlSanitizer (AngleSharp's HTML5 parser) keeps
/// only an allow-list of what Markdig writes for our pipeline, so a gap in the first layer (a Markdig
/// extension, an unforeseen combination of links and autolinks) still cannot put a script, an event
/// handler, a <c>javascript:</c>/<c>data:</c>/<c>vbscript:</c> URL, a remote resource or a CSS expression into
/// the HTML members open. Links may point to http, https, mailto or an anchor of the same document; images
/// only to <c>cid:</c> parts of the same mail; the only style is table cell alignment.
/// </summary>
public static class MinutesHtmlSanitizer
{
    private static readonly string[] LinkSchemes = ["http", "https", "mailto"];

    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>The allow-listed part of <paramref name="html"/> (an HTML body fragment).</summary>
    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "ul", "ol", "li",
                "em", "strong", "del", "ins", "mark", "sub", "sup", "a", "img", "input",
                "table", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "src", "alt", "title", "start", "type", "disabled", "checked", "class", "style", "colspan", "rowspan",
            },
            // Markdig writes style only for table alignment and grid table column widths.
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "text-align", "width" },
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            AllowedSchemes = new HashSet<string>(LinkSchemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowCssCustomProperties = false,
            AllowDataAttributes = false,
        });
        sanitizer.FilterUrl += (_, e) => e.SanitizedUrl = Allowed(e.Tag.LocalName, e.OriginalUrl) ? e.OriginalUrl : null;
        // Only checkboxes of task lists are inputs; anything else typed as an input is a form control.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "input" } input
                && !string.Equals(input.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase))
            {
                input.Remove();
            }
        };
        return sanitizer;
    }

    /// <summary>Images load nothing but parts of the mail; links go to the web, to mail, or within the document.</summary>
    private static bool Allowed(string tag, string url)
    {
        var cleaned = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        if (tag == "img")
        {
            return cleaned.StartsWith("cid:", StringComparison.OrdinalIgnoreCase);
        }

        return cleaned.StartsWith('#')
            || LinkSchemes.Any(s => cleaned.Length > s.Length && cleaned[s.Length] == ':' && cleaned.StartsWith(s, StringComparison.OrdinalIgnoreCase));
    }
}
