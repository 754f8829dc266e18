using System.Diagnostics;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kinds 1 and 7: every file a person names is read by <see cref="LocalFile"/>, which reads regular files only,
/// within a limit enforced while reading; a CSV cannot make the import read files outside its folder.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> SpecialFiles => new()
    {
        { "/dev/zero", "character device" },
        { "/dev/null", "character device" },
        { "/dev/urandom", "character device" },
        { "/proc/self", "folder" },
        { "/tmp", "folder" },
        { "/nonexistent/file.asc", "no such file" },
    };

    [Theory]
    [MemberData(nameof(SpecialFiles))]
    public void Read_RefusesWhatIsNotARegularFile_InOneLine_BeforeReadingAByte(string path, string expected)
    {
        var error = Assert.Throws<UserFacingException>(() => LocalFile.Read(path, 1024, "a key file"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Read_RefusesAFifo_WithoutWaitingForAWriter()
    {
        var fifo = _dir.File("minutes.md");
        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(fifo, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR));
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<UserFacingException>(() => MinutesFile.ReadText(fifo));

        Assert.Contains("named pipe (FIFO)", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_StopsAtTheLimit_WhileReading()
    {
        var big = _dir.File("big.asc");
        File.WriteAllBytes(big, new byte[70 * 1024]);

        var error = Assert.Throws<UserFacingException>(() => LocalFile.Read(big, 64 * 1024, "a key file"));

        Assert.Contains("over the 64 KiB limit for a key file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesANulInTheName()
    {
        var error = Assert.Throws<UserFacingException>(() => LocalFile.Read("keys/a\0b.asc", 1024, "a key file"));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryReaderOfNamedFiles_GoesThroughLocalFile()
    {
        // Keys, CSVs and CSV-listed keys, minutes, attachments, certificates: a device is refused by each.
        Assert.Throws<UserFacingException>(() => KeyFileReader.ReadFile("/dev/zero"));
        Assert.Throws<UserFacingException>(() => CsvKeyMapping.Read("/dev/zero"));
        Assert.Throws<UserFacingException>(() => MinutesFile.ReadText("/dev/zero"));
        Assert.Throws<UserFacingException>(() => AttachmentFiles.Read(["/dev/zero"], 1024));
        Assert.Throws<UserFacingException>(() => SecureMinutes.Mail.CertificatePin.Load("/dev/zero"));
    }

    public static TheoryData<string, bool> CsvKeyPaths => new()
    {
        { "k.asc", true },
        { "sub/k.asc", true },
        { "./sub/../k.asc", true },
        { "../outside.asc", false },
        { "/etc/hostname", false },
        { "sub/link-out.asc", false },
        { "sub/dirlink/../../outside.asc", false },
    };

    [Theory]
    [MemberData(nameof(CsvKeyPaths))]
    public void CsvKeyPaths_StayInsideTheCsvFolder_UnlessAllowed(string keyPath, bool inside)
    {
        var folder = Directory.CreateDirectory(_dir.File("csv")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(_dir.File("outside.asc"), "x");
        File.CreateSymbolicLink(Path.Combine(folder, "sub", "link-out.asc"), _dir.File("outside.asc"));
        Directory.CreateDirectory(_dir.File("elsewhere/deeper"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "sub", "dirlink"), _dir.File("elsewhere/deeper"));
        var csv = Path.Combine(folder, "members.csv");
        File.WriteAllText(csv, $"email,keyfile\ncamille@example.org,{keyPath}\n");

        var confined = Assert.Single(CsvKeyMapping.Read(csv));
        var allowed = Assert.Single(CsvKeyMapping.Read(csv, allowOutsidePaths: true));

        Assert.Equal(inside, confined.Problem is null);
        if (!inside)
        {
            Assert.Contains("outside the CSV's folder", confined.Problem, StringComparison.Ordinal);
            Assert.Contains("--allow-outside-paths", confined.Problem, StringComparison.Ordinal);
        }

        Assert.Null(allowed.Problem);
    }

    [Fact]
    public void CsvKeyPath_WithANul_IsRefusedForThatLineOnly()
    {
        var csv = _dir.File("m.csv");
        File.WriteAllText(csv, "camille@example.org,a\0b.asc\nsacha@example.org,k.asc\n");

        var lines = CsvKeyMapping.Read(csv);

        Assert.Contains("NUL or control character", lines[0].Problem, StringComparison.Ordinal);
        Assert.Null(lines[1].Problem);
    }
}
