using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>Bad input gets one clear line on stderr, a non-zero exit, and changes nothing.</summary>
public sealed class InputErrorTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _work = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_work.Combine("data"));
        await _cli.SucceedAsync("list", "create", "errs", "--address", "errs@lists.example.test");
        await _cli.SucceedAsync("member", "add", "errs", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        await _cli.SucceedAsync("provider", "set", "errs", "--outbox", _work.Combine("outbox"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Submit_RefusesNonUtf8Minutes_AndStoresNoSubmission()
    {
        var latin1 = _work.Combine("latin1.txt");
        await File.WriteAllBytesAsync(latin1, [0x44, 0xE9, 0x63, 0x69, 0x73, 0x69, 0x6F, 0x6E, 0x0A]);

        var result = await _cli.RunAsync("submit", "errs", "--file", latin1);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {latin1} is not UTF-8 text at byte 1 (give its encoding, e.g. --encoding latin1, or save it as UTF-8)", result.Stderr.Trim());
        Assert.False(Directory.Exists(_work.Combine("outbox")) && Directory.EnumerateFiles(_work.Combine("outbox")).Any());
    }

    [Fact]
    public async Task Submit_RefusesOversizeAndEmptyFiles()
    {
        var big = _work.Combine("big.txt");
        await File.WriteAllTextAsync(big, new string('a', 3 * 1024 * 1024));
        var oversize = await _cli.RunAsync("submit", "errs", "--file", big);
        Assert.Equal(1, oversize.ExitCode);
        Assert.Contains("over the 2048 KiB limit", oversize.Stderr, StringComparison.Ordinal);

        var empty = _work.Combine("empty.txt");
        await File.WriteAllTextAsync(empty, "  \n");
        var none = await _cli.RunAsync("submit", "errs", "--file", empty);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("empty", none.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list create Bad_Name --address x@y.test", "not a valid list name")]
    [InlineData("list create ok --address not-an-address", "not a valid e-mail list address")]
    [InlineData("list create errs --address errs@lists.example.test", "already exists")]
    [InlineData("provider set errs --host mail.example.org --port 25 --security none", "allowed only for a server on this machine")]
    [InlineData("provider set errs --host mail.example.org --port 587 --security starttls --user u", "--user needs --password-env")]
    [InlineData("provider set errs --host mail.example.org --port 587 --security sometimes", "--security must be tls, starttls or none")]
    [InlineData("provider set errs --host 127.0.0.1 --port 587 --security tls --socks5 nowhere", "is not a SOCKS5 proxy address")]
    [InlineData("submit nolist --file seeds/minutes-ag-2026-11-21.md", "no list named 'nolist'")]
    [InlineData("status sub-none-none-none", "no submission 'sub-none-none-none'")]
    [InlineData("member remove errs nobody@example.org", "is not a member")]
    [InlineData("purge errs", "give --before DATE or --all")]
    [InlineData("list set errs --keep forever", "--keep must be a number of days like 30d")]
    [InlineData("list delete errs", "add --yes to confirm")]
    public async Task Commands_FailWithOneLine_OnBadInput(string commandLine, string expected)
    {
        var result = await _cli.RunAsync(commandLine.Split(' '));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageErrors_ExitWithCodeTwo_AndOneLine()
    {
        var result = await _cli.RunAsync("member", "add", "errs", "x@example.org");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--key", line, StringComparison.Ordinal);
    }
}
