using System.Globalization;
using System.Net;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SecureMinutes.Minutes;

/// <summary>
/// Markdown minutes as HTML that is safe to open in a mail client: Markdig with raw HTML disabled (it is
/// shown as text), then the syntax tree is cleaned before rendering. Links keep only http, https and mailto
/// targets (a <c>javascript:</c> or <c>data:</c> link becomes its plain text), and images are never loaded
/// from anywhere: only <c>cid:</c> images (parts of the same mail) stay, any other image becomes its
/// description, so opening the minutes tells no server who read them and when.
/// <para>
/// Only extensions that cannot add attributes are used: Markdig's "advanced" set includes generic attributes
/// (<c>{onclick=...}</c>), which would let the minutes carry script handlers. What Markdig writes then goes
/// through <see cref="MinutesHtmlSanitizer"/>'s allow-list, a second layer should this one have a gap.
/// </para>
/// <para>
/// Budget: elements nest at most <see cref="MaxNestingDepth"/> deep (quotes in quotes, lists in lists,
/// emphasis in emphasis, brackets in brackets); Markdig stops deeper input early, in time linear in its
/// length, and the minutes are refused in one line (<c>--format text</c> sends them as they are).
/// </para>
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseListExtras()
        .UseAutoLinks()
        .DisableHtml()
        .ConfigureNesting()
        .Build();

    /// <summary>
    /// How deep Markdown elements may nest. Real minutes nest a few levels (a quote of a quote, sub-lists);
    /// Markdig's own default is 128, but the HTML of a deeper document would also cost the sanitizer and
    /// mail clients, so 64 is kept.
    /// </summary>
    public const int MaxNestingDepth = 64;

    /// <summary>
    /// How many table cells the minutes may hold in all. Markdig makes every row of a pipe table as wide as its widest
    /// row, so 4 KB of text with one row of 160 <c>|</c> became 35,000 cells and 1.3 MB of HTML, which the sanitizer took
    /// seconds to read (a fuzz run found it). A later fuzz run found 2.5 KB of 220 two-cell rows and one row of 37 cells:
    /// 8,140 cells, each with its alignment style, 233 KB of HTML and ~0.4 s of rendering and sanitizing on a quiet
    /// machine (over 10 s under a loaded CI run), so the bound is 5,000. Real minutes' tables (votes, a roll call of a
    /// thousand members in four columns) stay below it.
    /// </summary>
    public const int MaxTableCells = 5_000;

    private static readonly string[] LinkSchemes = ["http", "https", "mailto"];

    /// <summary>A whole HTML document (UTF-8) for the text/html alternative.</summary>
    public static string ToHtmlDocument(string markdown, string title) => Page(ToHtml(markdown), title);

    /// <summary>
    /// Markdown (the votes summary) followed by plain text shown line for line, as a pad's text is written: each line
    /// a literal in the syntax tree (escaped by Markdig's renderer like any text, never parsed as Markdown or HTML),
    /// lines joined by hard breaks, blank lines between paragraphs, leading spaces kept as no-break spaces.
    /// </summary>
    public static string ToHtmlDocument(string markdown, string plainText, string title)
    {
        var document = Parse(markdown);
        foreach (var paragraph in PlainParagraphs(plainText))
        {
            document.Add(paragraph);
        }

        return Page(Render(document), title);
    }

    private static IEnumerable<ParagraphBlock> PlainParagraphs(string text)
    {
        ParagraphBlock? paragraph = null;
        foreach (var line in text.Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (paragraph is not null)
                {
                    yield return paragraph;
                    paragraph = null;
                }

                continue;
            }

            if (paragraph is null)
            {
                paragraph = new ParagraphBlock { Inline = new ContainerInline() };
            }
            else
            {
                paragraph.Inline!.AppendChild(new LineBreakInline { IsHard = true });
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            paragraph.Inline!.AppendChild(new LiteralInline(new string('\u00A0', indent) + line.TrimStart(' ')));
        }

        if (paragraph is not null)
        {
            yield return paragraph;
        }
    }

    private static string Page(string body, string title) =>
        $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src cid:">
        <meta name="referrer" content="no-referrer">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>body{font-family:sans-serif;line-height:1.5;max-width:50em}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.2em .6em}pre,code{background:#f3f3f3}</style>
        </head><body>
        {{body}}</body></html>

        """;

    /// <summary>The rendered body only (for tests and embedding), serialised by the sanitizer (HTML5: <c>&lt;br&gt;</c>, not <c>&lt;br /&gt;</c>).</summary>
    /// <exception cref="UserFacingException">The Markdown nests deeper than <see cref="MaxNestingDepth"/>, or its tables hold more than <see cref="MaxTableCells"/> cells.</exception>
    public static string ToHtml(string markdown)
    {
        if (BracketDepth(markdown) > MaxNestingDepth)
        {
            throw TooDeep();
        }

        return Render(Parse(markdown));
    }

    /// <summary>Parses and neutralises links; Markdig's depth limit surfaces as <see cref="TooDeep"/>.</summary>
    private static MarkdownDocument Parse(string markdown)
    {
        try
        {
            var document = Markdown.Parse(markdown, Pipeline);
            if (document.Descendants<Markdig.Extensions.Tables.TableCell>().Take(MaxTableCells + 1).Count() > MaxTableCells)
            {
                throw new UserFacingException(FormattableString.Invariant(
                    $"the minutes' tables have more than {MaxTableCells:N0} cells in all (one row with many | makes every row of its table that wide); use --format text"));
            }

            Neutralise(document);
            return document;
        }
        // Markdig reports its depth limit as an ArgumentException ("too deeply nested - depth limit exceeded").
        catch (ArgumentException ex) when (ex.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
        {
            throw TooDeep();
        }
    }

    /// <summary>HTML of a parsed document, passed through <see cref="MinutesHtmlSanitizer"/>'s allow-list.</summary>
    private static string Render(MarkdownDocument document)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        try
        {
            renderer.Render(document);
        }
        // The renderer checks the same depth limit as the parser (emphasis runs nest only once rendered).
        catch (ArgumentException ex) when (ex.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
        {
            throw TooDeep();
        }

        writer.Flush();
        return MinutesHtmlSanitizer.Sanitize(writer.ToString());
    }

    private static UserFacingException TooDeep() => new(FormattableString.Invariant(
        $"the minutes are nested too deeply to render as Markdown (more than {MaxNestingDepth} quotes, lists, emphases or links inside each other); use --format text"));

    /// <summary>
    /// How deep square brackets nest. Markdig's nesting limit does not cover link text: unclosed <c>[</c> runs
    /// each start a link candidate that is tried against every <c>](…)</c> after it, time growing with the
    /// square of the text (5,000 took 35 s), so such text is refused before Markdig sees it. Linear.
    /// </summary>
    private static int BracketDepth(string markdown)
    {
        int depth = 0, deepest = 0;
        for (var i = 0; i < markdown.Length; i++)
        {
            switch (markdown[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case ']' when depth > 0:
                    depth--;
                    break;
            }
        }

        return deepest;
    }

    private static MarkdownPipelineBuilder ConfigureNesting(this MarkdownPipelineBuilder builder)
    {
        builder.MaximumNestingDepth = MaxNestingDepth;
        return builder;
    }

    private static void Neutralise(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage ? !HasScheme(link.Url, "cid") : !IsSafeLink(link.Url))
            {
                Unwrap(link, link.IsImage ? "[image]" : null);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && !IsSafeLink(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
    }

    /// <summary>Puts a link's text (an image's description) where the link was.</summary>
    private static void Unwrap(LinkInline link, string? whenEmpty)
    {
        if (link.FirstChild is null && whenEmpty is not null)
        {
            link.InsertBefore(new LiteralInline(whenEmpty));
        }

        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            link.InsertBefore(child);
            child = next;
        }

        link.Remove();
    }

    /// <summary>Absolute http(s)/mailto links, and in-document anchors; nothing a browser would run or fetch silently.</summary>
    internal static bool IsSafeLink(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var cleaned = Cleaned(url);
        return cleaned.StartsWith('#') || LinkSchemes.Any(scheme => HasScheme(cleaned, scheme));
    }

    private static bool HasScheme(string? url, string scheme)
    {
        var cleaned = Cleaned(url ?? "");
        return cleaned.Length > scheme.Length && cleaned[scheme.Length] == ':' && cleaned.StartsWith(scheme, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Browsers ignore whitespace and control characters in a scheme ("java\tscript:"), so we do too.</summary>
    private static string Cleaned(string url) => new(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
}
