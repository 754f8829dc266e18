using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary><c>member add</c> as the issue specifies it: refusals name the reason in one line and store nothing.</summary>
public sealed class MemberAddTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _work = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_work.Combine("data"));
        await _cli.SucceedAsync("list", "create", "keys", "--address", "keys@lists.example.test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("expired", "expired@example.org", "expired on 2020-12-31")]
    [InlineData("expired-subkey", "expired-subkey@example.org", "expired")]
    [InlineData("revoked", "revoked@example.org", "revoked")]
    [InlineData("signonly", "signonly@example.org", "no encryption-capable")]
    public async Task MemberAdd_RefusesUnusableKey_WithTheReason_AndStoresNothing(string fixture, string email, string reason)
    {
        var result = await _cli.RunAsync("member", "add", "keys", email, "--key", RepoPaths.FixtureKey(fixture + ".pub.asc"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: key ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        await AssertNoMembersAsync();
    }

    [Fact]
    public async Task MemberAdd_RefusesKeyWhoseUserIdsDoNotNameTheMember_UnlessAllowed()
    {
        var refused = await _cli.RunAsync("member", "add", "keys", "someone@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("someone@example.org is not in any of its valid user ids (RSA3072 Test <rsa3072@example.org>)", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-uid-mismatch", refused.Stderr, StringComparison.Ordinal);
        await AssertNoMembersAsync();

        await _cli.SucceedAsync("member", "add", "keys", "someone@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"), "--allow-uid-mismatch");
    }

    [Fact]
    public async Task MemberAdd_RefusesASecretKey_AndGarbage_AndBadAddresses()
    {
        var secret = await _cli.RunAsync("member", "add", "keys", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.sec.asc"));
        Assert.Equal(1, secret.ExitCode);
        Assert.Contains("SECRET key", secret.Stderr, StringComparison.Ordinal);

        var garbagePath = _work.Combine("garbage.asc");
        await File.WriteAllTextAsync(garbagePath, "this is not a key\n");
        var garbage = await _cli.RunAsync("member", "add", "keys", "rsa3072@example.org", "--key", garbagePath);
        Assert.Equal(1, garbage.ExitCode);
        Assert.Single(garbage.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var badAddress = await _cli.RunAsync("member", "add", "keys", "not an address", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"));
        Assert.Equal(1, badAddress.ExitCode);
        Assert.Contains("is not a valid e-mail", badAddress.Stderr, StringComparison.Ordinal);

        var missing = await _cli.RunAsync("member", "add", "keys", "rsa3072@example.org", "--key", _work.Combine("nope.asc"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Single(missing.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await AssertNoMembersAsync();
    }

    [Fact]
    public async Task MemberAdd_PrintsFingerprintAndSubkeys_AndMemberListShowsStatus()
    {
        var added = await _cli.SucceedAsync("member", "add", "keys", "twosub@example.org", "--key", RepoPaths.FixtureKey("twosub.pub.asc"));
        Assert.Contains("Fingerprint: 6869 366C 848A 745F 15F0  B1AF 0A7C CC83 1DA2 B699".Replace("  ", " ", StringComparison.Ordinal), added.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, added.Stdout.Split('\n').Count(l => l.StartsWith("Encrypts to: ", StringComparison.Ordinal)));

        var list = await _cli.SucceedAsync("member", "list", "keys", "--json");
        using var json = JsonDocument.Parse(list.Stdout);
        var member = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("twosub@example.org", member.GetProperty("email").GetString());
        Assert.Equal("6869366C848A745F15F0B1AF0A7CCC831DA2B699", member.GetProperty("fingerprint").GetString());
        Assert.Equal("usable", member.GetProperty("status").GetString());

        // Issue 5: the same key again is a (here empty) update; a different key for the member needs --replace.
        var sameKey = await _cli.SucceedAsync("member", "add", "keys", "TWOSUB@example.org", "--key", RepoPaths.FixtureKey("twosub.pub.asc"));
        Assert.Contains("twosub@example.org is already a member with this key; nothing new in it", sameKey.Stdout, StringComparison.Ordinal);
        var otherKey = await _cli.RunAsync("member", "add", "keys", "TWOSUB@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"), "--allow-uid-mismatch");
        Assert.Equal(1, otherKey.ExitCode);
        Assert.Contains("already a member", otherKey.Stderr, StringComparison.Ordinal);
        Assert.Contains("--replace", otherKey.Stderr, StringComparison.Ordinal);
        Assert.Contains("6869366C848A745F15F0B1AF0A7CCC831DA2B699", (await _cli.SucceedAsync("member", "list", "keys", "--json")).Stdout, StringComparison.Ordinal);

        await _cli.SucceedAsync("member", "remove", "keys", "twosub@example.org");
        await AssertNoMembersAsync();
    }

    private async Task AssertNoMembersAsync()
    {
        var list = await _cli.SucceedAsync("member", "list", "keys", "--json");
        using var json = JsonDocument.Parse(list.Stdout);
        Assert.Empty(json.RootElement.EnumerateArray());
    }
}
