using System.Diagnostics;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Hardening;

/// <summary>The field cases and the hostile values of issue 13, through the real command line: one line, exit 1, nothing changed.</summary>
public sealed class HardeningCliTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _work = new();
    private CliRunner _cli = null!;

    private static string Case(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "cases", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"../shared/cases/{name} is missing");
    }

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_work.Combine("data"));
        await _cli.SucceedAsync("list", "create", "hard", "--address", "hard@lists.example.test");
        await _cli.SucceedAsync("member", "add", "hard", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        await _cli.SucceedAsync("provider", "set", "hard", "--outbox", _work.Combine("outbox"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("keys/userid-with-crlf.asc")]
    [InlineData("keys/userid-with-escape-sequences.asc")]
    public async Task KeyShow_SendsNoControlCharacterFromTheKeyToTheTerminal(string file)
    {
        var result = await _cli.SucceedAsync("key", "show", Case(file));

        Assert.DoesNotContain(result.Stdout, c => c is '\r' or '\u001b' or '\u0007' or '\u009b');
        Assert.Single(result.Stdout.Split('\n'), l => l.StartsWith("  Status:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Stdout.Split('\n'), l => l.StartsWith("Fingerprint: 0000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MemberAdd_RefusesAUserIdWithALineBreak_AndStoresNothing()
    {
        var result = await _cli.RunAsync("member", "add", "hard", "h@members.example.test", "--key", Case("keys/userid-with-crlf.asc"), "--allow-uid-mismatch");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds a line break or NUL character", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("h@members.example.test", (await _cli.SucceedAsync("member", "list", "hard")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyShow_OfTwentyThousandCertificates_AnswersInOneLine_InSeconds()
    {
        var clock = Stopwatch.StartNew();
        var result = await _cli.RunAsync("key", "show", Case("keys/many-certificates-20000.bin"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("more than 2000 keys", result.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task Submit_OfDeeplyNestedMarkdown_SaysUseText_ExitsOne_AndStoresNothing()
    {
        var result = await _cli.RunAsync("submit", "hard", "--file", Case("minutes/nested-quotes-200.md"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nested too deeply to render as Markdown", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("use --format text", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("this is a bug", result.Stderr, StringComparison.Ordinal);
        // Nothing was stored: the same file as text is not a duplicate of anything.
        await _cli.SucceedAsync("submit", "hard", "--file", Case("minutes/nested-quotes-200.md"), "--format", "text");
    }

    [Fact]
    public async Task AnArgumentStartingWithAt_IsAValue_NotAResponseFile()
    {
        File.WriteAllText(_work.Combine("args.rsp"), "list create injected --address x@example.org");

        var result = await _cli.RunAsync("key", "show", "@" + _work.Combine("args.rsp"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such file", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("injected", (await _cli.SucceedAsync("list", "show", "hard")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-7", "is not supported")]
    [InlineData("no-such-encoding", "not an encoding this program knows")]
    public async Task Submit_WithAnUnusableEncoding_IsRefusedInOneLine(string encoding, string expected)
    {
        var minutes = _work.Combine("cr.txt");
        await File.WriteAllTextAsync(minutes, "Compte-rendu\n");

        var result = await _cli.RunAsync("submit", "hard", "--file", minutes, "--encoding", encoding);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_OfAFifo_IsRefusedAtOnce()
    {
        var fifo = _work.Combine("minutes.md");
        Assert.Equal(0, Mono.Unix.Native.Syscall.mkfifo(fifo, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR));

        var result = await _cli.RunAsync("submit", "hard", "--file", fifo);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("named pipe (FIFO)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondIdenticalSubmit_NeedsAgain()
    {
        var minutes = _work.Combine("cr.md");
        await File.WriteAllTextAsync(minutes, "# CR\n\nDécisions.\n");
        var first = (await _cli.SucceedAsync("submit", "hard", "--file", minutes)).Stdout.Trim();

        var second = await _cli.RunAsync("submit", "hard", "--file", minutes);
        var again = await _cli.RunAsync("submit", "hard", "--file", minutes, "--again");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains(first, second.Stderr, StringComparison.Ordinal);
        Assert.Contains("--again", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.NotEqual(first, again.Stdout.Trim());
    }

    [Fact]
    public async Task MemberImport_OfACsvPointingOutsideItsFolder_RefusesThoseLines()
    {
        var folder = Directory.CreateDirectory(_work.Combine("csv")).FullName;
        File.Copy(RepoPaths.FixtureKey("rsa3072.pub.asc"), Path.Combine(folder, "rsa.asc"));
        var csv = Path.Combine(folder, "members.csv");
        await File.WriteAllTextAsync(csv, $"email,keyfile\nrsa3072@example.org,rsa.asc\nother@example.org,{RepoPaths.FixtureKey("sq-cv25519.pub.asc")}\nthird@example.org,../../etc/passwd\n");

        var result = await _cli.RunAsync("member", "import", "hard", csv, "--allow-uid-mismatch");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(2, result.Stdout.Split('\n').Count(l => l.Contains("outside the CSV's folder", StringComparison.Ordinal)));
        Assert.Contains("rsa3072@example.org", (await _cli.SucceedAsync("member", "list", "hard")).Stdout, StringComparison.Ordinal);
    }
}
