using SecureMinutes.Keys;
using SecureMinutes.Minutes;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kind 4: text from keys, mails, pads and file names is printed escaped (no forged lines, no escape
/// sequences, no reordering), user ids with CR/LF/NUL are refused at import, and the HTML part keeps only
/// what its allow-list allows.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class UntrustedTextTests
{
    public static TheoryData<string, string> Escapes => new()
    {
        { "Evil\r\nStatus: usable", @"Evil\r\nStatus: usable" },
        { "a\u001b[2Jb", @"a\x1b[2Jb" },
        { "title\u001b]0;pwned\u0007", @"title\x1b]0;pwned\x07" },
        { "nul\0", @"nul\x00" },
        { "c1\u009bcsi", @"c1\x9bcsi" },
        { "del\u007f", @"del\x7f" },
        { "rtl\u202etxt.exe", @"rtl\u202etxt.exe" },
        { "isolate\u2066x\u2069", @"isolate\u2066x\u2069" },
        { "line\u2028sep", @"line\u2028sep" },
        { "Zoé Lefèvre <zoé@bücher.example>", "Zoé Lefèvre <zoé@bücher.example>" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Escape_ShowsControlAndBidiCharacters_AndNothingElse(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Escape(text));

    [Theory]
    [InlineData("keys/userid-with-crlf.asc")]
    [InlineData("keys/userid-with-escape-sequences.asc")]
    public void KeyShow_PrintsNothingFromTheKeyAsAControlCharacter(string file)
    {
        var found = Assert.Single(KeyFileReader.ReadFile(FieldCases.Path(file)));
        var lines = KeyInspection.Of(found, DateTimeOffset.UtcNow).Lines().ToList();

        Assert.All(lines, line => Assert.DoesNotContain(line, c => TerminalText.IsUnsafe(c)));
        Assert.Single(lines, l => l.StartsWith("  Status:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Fingerprint:", StringComparison.Ordinal));
    }

    [Fact]
    public void MemberAdd_RefusesAUserIdWithALineBreak_WithTheReason()
    {
        var found = Assert.Single(KeyFileReader.ReadFile(FieldCases.Path("keys/userid-with-crlf.asc")));
        var assessment = KeyAssessor.Assess(found.Certificate, DateTimeOffset.UtcNow);

        var refusal = KeyAcceptance.Refusal(assessment, "h@members.example.test", allowUserIdMismatch: true);

        Assert.NotNull(refusal);
        Assert.Contains("holds a line break or NUL character", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void JavascriptAutolinkCase_LeavesNoJavascriptHref()
    {
        var html = MarkdownRenderer.ToHtml(File.ReadAllText(FieldCases.Path("minutes/javascript-autolink.md")));

        Assert.DoesNotContain("javascript:", XssChecks.Hrefs(html), StringComparer.OrdinalIgnoreCase);
        XssChecks.AssertInert(html);
    }

    public static TheoryData<string> XssCorpus => new(XssChecks.Corpus);

    [Theory]
    [MemberData(nameof(XssCorpus))]
    public void Sanitizer_LeavesNothingActive_FromAnyKnownVector(string vector) => XssChecks.AssertInert(MinutesHtmlSanitizer.Sanitize(vector));

    [Theory]
    [MemberData(nameof(XssCorpus))]
    public void MarkdownWithAVector_InLinksImagesAndText_RendersInert(string vector)
    {
        var markdown = $"# AG\n\n{vector}\n\n[lien]({vector}) ![img]({vector}) <{vector}> [x]: {vector}\n\n| a | {vector} |\n|---|---|\n| {vector} | b |\n";

        XssChecks.AssertInert(MarkdownRenderer.ToHtml(markdown));
    }
}
