using System.Diagnostics;
using System.Text;
using SecureMinutes.Keys;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kind 2: every parser has a documented budget and work linear in its input; going over a budget is one
/// line (<see cref="UserFacingException"/>), never a crash, a hang or minutes of work.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class ParserBudgetTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> DeepMarkdown => new()
    {
        { "quotes", string.Concat(Enumerable.Repeat("> ", 500)) + "x" },
        { "lists", string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i * 2) + "- item\n")) },
        { "ordered lists", string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i * 3) + "1. item\n")) },
        { "emphasis", new string('*', 20_000) + "x" + new string('*', 20_000) },
        { "brackets", new string('[', 50_000) + "x" + new string(']', 50_000) },
        { "links in links", string.Concat(Enumerable.Repeat("[a", 5_000)) + "x" + string.Concat(Enumerable.Repeat("](http://e.example)", 5_000)) },
        { "quote and list", string.Concat(Enumerable.Repeat("> - ", 300)) + "x" },
        { "table of many cells", "|" + string.Concat(Enumerable.Repeat(" a |", 5_000)) + "\n|" + string.Concat(Enumerable.Repeat("---|", 5_000)) + "\n" },
        { "backticks", new string('`', 100_000) },
        { "one wide row widening every row", "| a | b |\n|:-|-:|\n" + string.Concat(Enumerable.Repeat("| 1 | 2 |\n", 300)) + "|" + string.Concat(Enumerable.Repeat(" 2|", 300)) + "\n" },
    };

    [Theory]
    [MemberData(nameof(DeepMarkdown))]
    public void Markdown_RendersOrRefusesInOneLine_Quickly(string shape, string markdown)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            MarkdownRenderer.ToHtml(markdown);
        }
        catch (UserFacingException ex)
        {
            Assert.Contains("--format text", ex.Message, StringComparison.Ordinal);
        }

        Assert.True(clock.Elapsed < Quick, $"{shape}: {clock.Elapsed}");
    }

    [Fact]
    public void NestedQuotesCase_IsRefusedWithTheLineToUseTextInstead()
    {
        var text = MinutesFile.ReadText(FieldCases.Path("minutes/nested-quotes-200.md"));

        var error = Assert.Throws<UserFacingException>(() => SecureMinutes.Mail.MinutesPayload.FromDocument(new MinutesDocument("AG", text) { Format = MinutesFormat.Markdown }));

        Assert.Contains("nested too deeply to render as Markdown", error.Message, StringComparison.Ordinal);
        Assert.Contains("use --format text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableWhoseOneWideRowWidensEveryRow_IsRefusedInOneLine_WhileARollCallOfAThousandRenders()
    {
        var rows = string.Concat(Enumerable.Range(1, 1_000).Select(i => $"| membre {i} | pour | présent | mandat |\n"));
        var rollCall = "| nom | vote | présence | note |\n|-|-|-|-|\n" + rows;
        var widened = rollCall + "|" + string.Concat(Enumerable.Repeat(" x |", 160)) + "\n";
        // The shape a fuzz run found: aligned two-cell rows, one row of 37 cells making all 220 that wide.
        var aligned = "| a | b |\n|:-|-:|\n" + string.Concat(Enumerable.Repeat("| 1 -|-:|\n", 219)) + string.Concat(Enumerable.Repeat("| 1 -|", 37)) + "\n";

        Assert.Contains("membre 1000", MarkdownRenderer.ToHtml(rollCall), StringComparison.Ordinal);
        foreach (var markdown in new[] { widened, aligned })
        {
            var error = Assert.Throws<UserFacingException>(() => MarkdownRenderer.ToHtml(markdown));
            Assert.Contains("more than 5,000 cells", error.Message, StringComparison.Ordinal);
            Assert.Contains("use --format text", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public void Markdown_WithinTheBudget_StillRenders()
    {
        var html = MarkdownRenderer.ToHtml(string.Concat(Enumerable.Repeat("> ", 20)) + "citation");

        Assert.Contains("citation", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TwentyThousandCertificates_AreRefusedInOneLine_InSeconds()
    {
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<UserFacingException>(() => KeyFileReader.ReadFile(FieldCases.Path("keys/many-certificates-20000.bin")));

        Assert.Contains($"more than {PublicKeyReader.MaxCertificates} keys", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Quick, clock.Elapsed.ToString());
    }

    [Fact]
    public void ManyCopiesOfKeys_AreMergedInLinearTime()
    {
        // 2,000 certificates (the budget), every one of them twice: merging by fingerprint, not by scanning.
        var all = FieldCases.Bytes("keys/many-certificates-20000.bin");
        var first = Take(all, PublicKeyReader.MaxCertificates / 2);
        var clock = Stopwatch.StartNew();

        var found = KeyFileReader.Read([.. first, .. first], "twice.bin");

        Assert.Equal(PublicKeyReader.MaxCertificates / 2, found.Count);
        Assert.True(clock.Elapsed < Quick, clock.Elapsed.ToString());
    }

    [Fact]
    public void AKeyWithTooManyUserIds_IsRefusedBeforeAnySignatureIsChecked()
    {
        var oneCert = Take(FieldCases.Bytes("keys/many-certificates-20000.bin"), 1);
        var userIds = Enumerable.Range(0, PublicKeyReader.MaxUserIds + 1).SelectMany(i => UserIdPacket($"u{i} <u{i}@example.org>"));

        var error = Assert.Throws<UserFacingException>(() => KeyFileReader.Read([.. oneCert, .. userIds], "flood.bin"));

        Assert.Contains($"more than {PublicKeyReader.MaxUserIds} user ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyWithTooManySubkeys_IsRefused()
    {
        var key = TestKeyBuilder.Create("Camille <camille@example.org>", DateTimeOffset.UtcNow).WithCv25519Subkey().Build().GetEncoded();
        var ring = new Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing(key);
        var subkey = ring.GetPublicKeys().Skip(1).First().GetEncoded();
        var flooded = key.Concat(Enumerable.Repeat(subkey, PublicKeyReader.MaxSubkeys + 1).SelectMany(b => b)).ToArray();

        var error = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(flooded, "subkeys.bin"));

        Assert.Contains($"more than {PublicKeyReader.MaxSubkeys} subkeys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(500)]
    public void AMailNestedDeeply_IsRefusedInOneLine_Quickly(int depth)
    {
        var mail = new StringBuilder("From: inner@example.org\r\nSubject: key\r\nContent-Type: text/plain\r\n\r\nno key here\r\n");
        for (var i = 0; i < depth; i++)
        {
            mail.Insert(0, $"From: layer{i}@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n");
        }

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(Encoding.ASCII.GetBytes(mail.ToString()), "nested.eml"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.True(clock.Elapsed < Quick, clock.Elapsed.ToString());
    }

    /// <summary>The first <paramref name="count"/> bare certificates (public key packet + user id packet) of the 20,000 file.</summary>
    private static byte[] Take(byte[] data, int count)
    {
        var offset = 0;
        for (var taken = 0; taken < count; taken++)
        {
            offset = SkipPacket(data, SkipPacket(data, offset));
        }

        return data[..offset];
    }

    private static int SkipPacket(byte[] data, int offset)
    {
        // New-format headers with one-byte lengths, as in the field case.
        Assert.Equal(0xC0, data[offset] & 0xC0);
        Assert.True(data[offset + 1] < 192);
        return offset + 2 + data[offset + 1];
    }

    private static byte[] UserIdPacket(string userId)
    {
        var body = Encoding.UTF8.GetBytes(userId);
        return [0xCD, (byte)body.Length, .. body];
    }
}
