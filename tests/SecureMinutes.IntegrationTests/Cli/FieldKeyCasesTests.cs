using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>
/// The two key cases from the field (../shared/cases/keys) through the real CLI: <c>key show</c>,
/// <c>member add --dry-run</c> and <c>member add</c> print the same verdict, readable, for a Latin-1 user id
/// and for a key whose owner renewed it after 300 third-party certifications.
/// </summary>
public sealed class FieldKeyCasesTests
{
    [Theory]
    [InlineData("latin1-userid.pub.asc", "zoe@example.org", "Zoé Lefèvre <zoe@example.org>", "usable, no expiry")]
    [InlineData("flooded-late-selfsig.pub.asc", "flood@example.org", "Flood Member <flood@example.org>", "usable, expires 2029-12-30")]
    public async Task KeyShow_DryRun_AndAdd_AcceptTheKey_Alike(string file, string email, string userId, string status)
    {
        using var work = new TempDir();
        var cli = new CliRunner(work.Combine("data"));
        var key = Path.Combine(RepoPaths.Shared, "cases", "keys", file);
        await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");

        var shown = await cli.SucceedAsync("key", "show", key);
        var dryRun = await cli.SucceedAsync("member", "add", "ag", email, "--key", key, "--dry-run");
        var added = await cli.SucceedAsync("member", "add", "ag", email, "--key", key);
        var listed = await cli.SucceedAsync("member", "list", "ag");

        foreach (var output in new[] { shown.Stdout, dryRun.Stdout })
        {
            Assert.Contains($"Status:      {status}", output, StringComparison.Ordinal);
            Assert.Contains(userId, output, StringComparison.Ordinal);
        }

        Assert.Contains("Dry run, nothing stored", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains(email, added.Stdout, StringComparison.Ordinal);
        Assert.Contains(email, listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("REFUSED", shown.Stdout + dryRun.Stdout, StringComparison.Ordinal);
    }
}
