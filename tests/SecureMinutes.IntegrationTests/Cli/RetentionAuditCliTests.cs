using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>
/// Issue 17 at the command line: <c>purge</c> shows in <c>audit LIST</c> (how many, by whom), and <c>list delete</c> in
/// <c>audit</c> without a list (the list's name and key fingerprint, by whom), naming no member.
/// </summary>
public sealed class RetentionAuditCliTests
{
    [Fact]
    public async Task PurgeAndListDelete_AreShownByAudit_WithWhoAndHowMany_AndNoMember()
    {
        using var work = new TempDir();
        var cli = new CliRunner(work.Combine("data"));
        var created = (await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test", "--name", "AG")).Stdout;
        var fingerprint = created.Split('\n').Single(l => l.StartsWith("Fingerprint: ", StringComparison.Ordinal))["Fingerprint: ".Length..].Replace(" ", "", StringComparison.Ordinal).Trim();
        await cli.SucceedAsync("member", "add", "ag", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        Assert.Contains("No list-less audit lines", (await cli.SucceedAsync("audit")).Stdout, StringComparison.Ordinal);

        await cli.SucceedAsync("purge", "ag", "--all", "--by", "Camille");
        var listLog = (await cli.SucceedAsync("audit", "ag")).Stdout;
        Assert.Contains("Camille  minutes-shredded  (purge --all: 0 submission(s) shredded", listLog, StringComparison.Ordinal);

        await cli.SucceedAsync("list", "delete", "ag", "--yes", "--by", "Dominique");
        var serviceLog = (await cli.SucceedAsync("audit")).Stdout;
        Assert.Contains($"Dominique  list-deleted ag  (key {fingerprint}; ", serviceLog, StringComparison.Ordinal);
        Assert.DoesNotContain("ed25519@example.org", serviceLog, StringComparison.Ordinal);

        var refused = await cli.RunAsync("audit", "--member", "ed25519@example.org");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: --member needs a LIST: audit LIST --member ADDRESS", refused.Stderr.Trim());
    }
}
