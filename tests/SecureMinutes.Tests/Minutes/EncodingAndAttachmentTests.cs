using System.Text;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Minutes;

public sealed class EncodingAndAttachmentTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, byte[] content)
    {
        var path = _temp.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData("latin1")]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1252")]
    [InlineData("ISO-8859-15")]
    public void ReadText_ConvertsADeclaredSingleByteEncoding(string name)
    {
        var path = Write("cr.txt", Encoding.Latin1.GetBytes("Assemblée générale : Noël, Zoë, façade\r\n"));

        Assert.Equal("Assemblée générale : Noël, Zoë, façade\n", MinutesFile.ReadText(path, encodingName: name));
    }

    [Fact]
    public void ReadText_ConvertsWindows1252Specials_LikeTheEuroSign()
    {
        var path = Write("cr.txt", [0x42, 0x75, 0x64, 0x67, 0x65, 0x74, 0x20, 0x80, 0x20, 0x96, 0x20, 0x9C, 0x75, 0x76, 0x72, 0x65]);

        Assert.Equal("Budget € – œuvre", MinutesFile.ReadText(path, encodingName: "windows-1252"));
    }

    [Fact]
    public void ReadText_ConvertsUtf16WithItsByteOrderMark()
    {
        var path = Write("cr.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Procès-verbal ✊")]);

        Assert.Equal("Procès-verbal ✊", MinutesFile.ReadText(path, encodingName: "utf-16"));
    }

    [Fact]
    public void ReadText_RefusesBytesTheDeclaredEncodingDoesNotHave()
    {
        // A strict decoder says so instead of writing '?' into the minutes.
        var path = Write("cr.txt", [0x41, 0xE9, 0x42]);

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path, encodingName: "us-ascii"));

        Assert.Contains("is not valid us-ascii at byte 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_RefusesLatin1DeclaredAsUtf8()
    {
        var path = Write("cr.txt", Encoding.Latin1.GetBytes("Assemblée"));

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path, encodingName: "utf-8"));

        Assert.Contains("is not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_StillRefusesUndeclaredLatin1_SuggestingEncoding()
    {
        var path = Write("cr.txt", Encoding.Latin1.GetBytes("Assemblée"));

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path));

        Assert.Contains("--encoding latin1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_RefusesAnUnknownEncodingName()
    {
        var path = Write("cr.txt", "x"u8.ToArray());

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path, encodingName: "klingon-8"));

        Assert.Contains("--encoding 'klingon-8' is not an encoding", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachments_AreReadWithTheirTypes()
    {
        var pdf = Write("Ordre du jour.pdf", "%PDF-1.4 fake"u8.ToArray());
        var odt = Write("votes.odt", [1, 2, 3]);

        var attachments = AttachmentFiles.Read([pdf, odt], 1024);

        Assert.Equal(["Ordre du jour.pdf", "votes.odt"], attachments.Select(a => a.FileName));
        Assert.Equal("application/pdf", attachments[0].MediaType);
        Assert.Equal("application/vnd.oasis.opendocument.text", attachments[1].MediaType);
        Assert.Equal([1, 2, 3], attachments[1].Content);
    }

    [Fact]
    public void Attachments_OverTheTotalLimit_AreRefused()
    {
        var a = Write("a.pdf", new byte[600]);
        var b = Write("b.pdf", new byte[600]);

        var ex = Assert.Throws<UserFacingException>(() => AttachmentFiles.Read([a, b], 1024));

        Assert.Contains("more than the 1 KiB limit (at b.pdf)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachments_OneFileOverTheLimit_IsRefusedWithItsSize()
    {
        var big = Write("big.pdf", new byte[3 * 1024]);

        var ex = Assert.Throws<UserFacingException>(() => AttachmentFiles.Read([big], 2048));

        Assert.Contains("over the 2 KiB limit for attachments", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachments_MissingFile_IsOneLine()
    {
        var ex = Assert.Throws<UserFacingException>(() => AttachmentFiles.Read([_temp.File("absent.pdf")], 1024));

        Assert.EndsWith("absent.pdf: no such file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10M", 10L * 1024 * 1024)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("2MiB", 2L * 1024 * 1024)]
    [InlineData("1000", 1000L)]
    public void ParseSize_ReadsSizesAsPeopleWriteThem(string text, long bytes) => Assert.Equal(bytes, IntakeLimits.ParseSize(text, "X"));

    [Theory]
    [InlineData("cr.md", MinutesFormat.Markdown)]
    [InlineData("CR.MARKDOWN", MinutesFormat.Markdown)]
    [InlineData("cr.txt", MinutesFormat.Text)]
    [InlineData("cr", MinutesFormat.Text)]
    public void Format_FollowsTheFileExtension(string name, MinutesFormat format) => Assert.Equal(format, MinutesFormats.ForFile(name));

    [Fact]
    public void Format_Override_Wins() => Assert.Equal(MinutesFormat.Markdown, MinutesFormats.Choose("markdown", MinutesFormat.Text));
}
