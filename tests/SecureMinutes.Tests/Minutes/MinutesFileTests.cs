using System.Text;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Minutes;

public sealed class MinutesFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(byte[] content)
    {
        var path = _temp.File("minutes.md");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void ReadText_ReadsUtf8()
    {
        var path = Write(Encoding.UTF8.GetBytes("# Assemblée générale\n\nPrésents : Camille, Dominique ✊\n"));

        Assert.Equal("# Assemblée générale\n\nPrésents : Camille, Dominique ✊\n", MinutesFile.ReadText(path));
    }

    [Fact]
    public void ReadText_DropsTheUtf8Bom()
    {
        var path = Write([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Ordre du jour")]);

        Assert.Equal("Ordre du jour", MinutesFile.ReadText(path));
    }

    [Fact]
    public void ReadText_TurnsCrlfAndLoneCrIntoLf()
    {
        var path = Write(Encoding.UTF8.GetBytes("ligne 1\r\nligne 2\rligne 3\n"));

        Assert.Equal("ligne 1\nligne 2\nligne 3\n", MinutesFile.ReadText(path));
    }

    [Fact]
    public void ReadText_RefusesLatin1_SayingItIsNotUtf8()
    {
        var path = Write(Encoding.Latin1.GetBytes("Assemblée générale"));

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path));

        Assert.Contains("not UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at byte 7", ex.Message, StringComparison.Ordinal); // 0-based offset of the é
    }

    [Fact]
    public void ReadText_NamesTheOffsetOfTheFirstBadByte_FarIntoALargeFile()
    {
        var path = Write([.. Encoding.UTF8.GetBytes(new string('a', 300_000)), 0xE9, (byte)'!']);

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path));

        Assert.Contains("not UTF-8 text at byte 300000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_RefusesAFileOverTheLimit()
    {
        var path = Write(Encoding.UTF8.GetBytes(new string('a', 2048)));

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path, maxBytes: 1024));

        Assert.Contains("over the 1 KiB limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_AcceptsAFileExactlyAtTheLimit()
    {
        var path = Write(Encoding.UTF8.GetBytes(new string('a', 1024)));

        Assert.Equal(1024, MinutesFile.ReadText(path, maxBytes: 1024).Length);
    }

    [Fact]
    public void ReadText_RefusesAMissingFile()
    {
        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(_temp.File("absent.md")));

        Assert.EndsWith("no such file", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\n\t \n")]
    public void ReadText_RefusesEmptyOrBlankMinutes(string content)
    {
        var path = Write(Encoding.UTF8.GetBytes(content));

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_RefusesABomOnlyFile_AsEmpty()
    {
        var path = Write([0xEF, 0xBB, 0xBF]);

        Assert.Contains("empty", Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_RefusesTextWithANulByte_AsBinary()
    {
        var path = Write("minutes\0more"u8.ToArray());

        var ex = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(path));

        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }
}
