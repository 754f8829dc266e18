using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>The <c>user</c> commands as people type them: one line and exit 1 on every refusal, links from the public address.</summary>
public sealed class UserCommandTests : IDisposable
{
    private readonly TempDir _dir = new("sm-user-");

    [Fact]
    public async Task UserCommands_AddGrantListInviteAndRemove_WithOneLineRefusals()
    {
        var cli = new CliRunner(_dir.Combine("data"));
        cli.Environment["SECUREMINUTES_USER_PASSWORD"] = "short";
        var weak = await cli.RunAsync("user", "add", "admin@example.test", "--admin");
        Assert.Equal(1, weak.ExitCode);
        Assert.Single(weak.Stderr.Trim().Split('\n'));

        cli.Environment["SECUREMINUTES_USER_PASSWORD"] = "the general assembly voted yes";
        await cli.SucceedAsync("user", "add", "admin@example.test", "--admin");
        await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");
        await cli.SucceedAsync("user", "add", "notes@example.test");
        await cli.SucceedAsync("user", "grant", "notes@example.test", "ag", "--role", "note-taker");
        var unknownList = await cli.RunAsync("user", "grant", "notes@example.test", "nope", "--role", "admin");
        Assert.Equal(1, unknownList.ExitCode);

        var list = await cli.SucceedAsync("user", "list");
        Assert.Contains("admin@example.test  installation admin", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("notes@example.test  ag: note-taker", list.Stdout, StringComparison.Ordinal);

        var noAddress = await cli.RunAsync("user", "invite", "new@example.test");
        Assert.Equal(1, noAddress.ExitCode);
        Assert.Contains("SECUREMINUTES_PUBLIC_URL", noAddress.Stderr, StringComparison.Ordinal);

        cli.Environment["SECUREMINUTES_PUBLIC_URL"] = "https://minutes.example.test/sm";
        var invite = await cli.SucceedAsync("user", "invite", "new@example.test");
        Assert.Matches("^https://minutes.example.test/sm/invite/[A-Za-z0-9_-]{43}$", invite.Stdout.Trim());

        await cli.SucceedAsync("user", "remove", "notes@example.test");
        Assert.DoesNotContain("notes@example.test", (await cli.SucceedAsync("user", "list")).Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
