using System.Text.Json;
using AngleSharp.Html.Parser;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// What "inert" means for the HTML part, checked on the DOM a browser would build (AngleSharp's HTML5
/// parser): no script or embedding element, no event handler, no URL other than http(s)/mailto/anchors in
/// links and cid: in images, no other URL-carrying attribute, no CSS that loads or evaluates anything.
/// </summary>
internal static class XssChecks
{
    private static readonly string[] ActiveElements =
        ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta", "base", "form", "svg", "math",
         "video", "audio", "source", "track", "template", "noscript", "textarea", "select", "button", "portal", "xml"];

    private static readonly string[] UrlAttributes =
        ["srcset", "background", "poster", "action", "formaction", "lowsrc", "dynsrc", "data", "codebase", "xlink:href", "ping", "srcdoc", "longdesc", "usemap", "cite"];

    private static readonly string[] BadCss = ["expression", "url(", "javascript", "behavior", "-moz-binding", "@import", "image(", "image-set("];

    public static IReadOnlyList<string> Corpus { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Hardening", "Corpus", "xss-vectors.jsonl"))
        .Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<string>(l)!).ToList();

    public static IEnumerable<string> Hrefs(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll("[href]").Select(e => e.GetAttribute("href")!);

    public static void AssertInert(string html)
    {
        var document = new HtmlParser().ParseDocument($"<html><body>{html}</body></html>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, ActiveElements);
            foreach (var attribute in element.Attributes)
            {
                var name = attribute.Name.ToLowerInvariant();
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
                Assert.False(name.StartsWith("on", StringComparison.Ordinal), $"handler {name} in {html}");
                Assert.DoesNotContain(name, UrlAttributes);
                if (name == "href")
                {
                    Assert.True(value.StartsWith("http:", StringComparison.Ordinal) || value.StartsWith("https:", StringComparison.Ordinal)
                        || value.StartsWith("mailto:", StringComparison.Ordinal) || value.StartsWith('#'), $"href {value} in {html}");
                }

                if (name == "src")
                {
                    Assert.True(element.LocalName == "img" && value.StartsWith("cid:", StringComparison.Ordinal), $"src {value} in {html}");
                }

                if (name == "style")
                {
                    Assert.DoesNotContain(BadCss, bad => value.Contains(bad, StringComparison.Ordinal));
                }
            }
        }
    }
}
