using SecureMinutes.Minutes;

namespace SecureMinutes.Tests.Minutes;

/// <summary>The HTML members' mail clients show must not run anything, fetch anything, or lose the minutes.</summary>
public sealed class MarkdownRendererTests
{
    [Fact]
    public void ToHtml_RendersHeadingsListsTablesAndEmphasis()
    {
        var html = MarkdownRenderer.ToHtml("# Assemblée générale\n\n- point **voté**\n- point _reporté_\n\n| Vote | Voix |\n|---|---|\n| Pour | 42 |\n");

        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("Assemblée générale</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>voté</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>42</td>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("texte <img src=x onerror=alert(1)> suite")]
    [InlineData("<div onclick=\"steal()\">clic</div>")]
    [InlineData("<iframe src=\"https://evil.example/\"></iframe>")]
    public void ToHtml_ShowsRawHtmlAsText_NeverAsMarkup(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[clic](javascript:alert(1))")]
    [InlineData("[clic](JavaScript:alert(1))")]
    [InlineData("[clic](java\tscript:alert(1))")]
    [InlineData("[clic](&#106;avascript:alert(1))")]
    [InlineData("[clic](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[clic](vbscript:msgbox)")]
    [InlineData("[clic][r]\n\n[r]: javascript:alert(1)")]
    public void ToHtml_DropsDangerousLinks_KeepingTheirText(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);

        // Either no link at all, or (a tab is not allowed in a destination) plain text: never an href.
        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("clic", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_DropsJavascriptAutolinks()
    {
        var html = MarkdownRenderer.ToHtml("<javascript:alert(1)>");

        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToHtml_KeepsHttpsAndMailtoLinks()
    {
        var html = MarkdownRenderer.ToHtml("[site](https://collectif.example/ag) et <mailto:ag@lists.example.test> et https://framapad.org/p/x");

        Assert.Contains("href=\"https://collectif.example/ag\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:ag@lists.example.test\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://framapad.org/p/x\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("![photo de l'AG](https://tracker.example/pixel.png)", "photo de l'AG")]
    [InlineData("![](http://tracker.example/pixel.png)", "[image]")]
    [InlineData("![logo][l]\n\n[l]: //tracker.example/l.png", "logo")]
    [InlineData("[![badge](https://tracker.example/b.svg)](https://collectif.example)", "badge")]
    public void ToHtml_NeverLoadsRemoteImages_ShowingTheirDescription(string markdown, string shown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
        Assert.Contains(shown, html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_KeepsImagesFromTheSameMail()
    {
        var html = MarkdownRenderer.ToHtml("![plan](cid:plan@local)");

        Assert.Contains("<img src=\"cid:plan@local\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_IgnoresGenericAttributes_SoNoEventHandlerCanBeAdded()
    {
        var html = MarkdownRenderer.ToHtml("# Titre {onclick=alert(1)}\n\n[lien](https://a.example){onmouseover=x}");

        // The braces stay text; no element gets an attribute from them.
        Assert.Contains("<h1>Titre {onclick=alert(1)}</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" onmouseover", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" onclick", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtmlDocument_DeclaresUtf8_AndAPolicyThatLoadsNothingRemote()
    {
        var html = MarkdownRenderer.ToHtmlDocument("Texte ✊", "Sujet <b>");

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Contains("<title>Sujet &lt;b&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("Texte ✊", html, StringComparison.Ordinal);
    }
}
