using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>The <c>invite</c> commands as people type them: links from the public address, one line and exit 1 on every refusal.</summary>
public sealed class InviteCommandTests : IDisposable
{
    private readonly TempDir _dir = new("sm-invite-");

    [Fact]
    public async Task InviteCommands_CreateListAndRevoke_WithOneLineRefusals()
    {
        var cli = new CliRunner(_dir.Combine("data"));
        await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");

        var noAddress = await cli.RunAsync("invite", "create", "ag");
        Assert.Equal(1, noAddress.ExitCode);
        Assert.Contains("SECUREMINUTES_PUBLIC_URL", noAddress.Stderr, StringComparison.Ordinal);

        cli.Environment["SECUREMINUTES_PUBLIC_URL"] = "https://minutes.example.test/sm";
        foreach (var bad in new[] { new[] { "--expires", "soon" }, ["--expires", "400d"], ["--uses", "0"] })
        {
            var refused = await cli.RunAsync(["invite", "create", "ag", .. bad]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Single(refused.Stderr.Trim().Split('\n'));
        }

        Assert.Equal(1, (await cli.RunAsync("invite", "create", "nope")).ExitCode);
        Assert.Contains("No invites yet", (await cli.SucceedAsync("invite", "list", "ag")).Stderr, StringComparison.Ordinal);

        var first = await cli.SucceedAsync("invite", "create", "ag", "--expires", "12h", "--uses", "40", "--approve");
        Assert.Matches("^https://minutes.example.test/sm/join/[A-Za-z0-9_-]{22}$", first.Stdout.Trim());
        Assert.Contains("for 40 member(s), each approved by a list admin", first.Stderr, StringComparison.Ordinal);
        var second = await cli.SucceedAsync("invite", "create", "ag");
        Assert.NotEqual(first.Stdout, second.Stdout);

        await cli.SucceedAsync("invite", "revoke", "ag", "1");
        var listed = (await cli.SucceedAsync("invite", "list", "ag")).Stdout;
        Assert.Matches("#1  revoked  0/40 used  until .* UTC  each approved by an admin", listed);
        Assert.Contains("#2  open  0/300 used", listed, StringComparison.Ordinal);
        var again = await cli.RunAsync("invite", "revoke", "ag", "1");
        Assert.Equal(1, again.ExitCode);
        Assert.Single(again.Stderr.Trim().Split('\n'));

        // The token is kept hashed (and sealed): the database holds no usable link.
        var token = first.Stdout.Trim().Split('/')[^1];
        foreach (var file in Directory.GetFiles(cli.DataDir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    public void Dispose() => _dir.Dispose();
}
