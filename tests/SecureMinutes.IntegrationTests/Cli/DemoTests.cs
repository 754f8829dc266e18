using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>README's first command: the demo creates its list and writes mails that every peer tool opens.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_WritesOneCheckedMailPerDemoMember_ToTheOutbox()
    {
        using var work = new TempDir();
        var cli = new CliRunner(work.Combine("data"));

        var result = await cli.SucceedAsync("demo");

        Assert.Contains("3/3 delivered", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("gpg --decrypt", result.Stdout, StringComparison.Ordinal);
        var outbox = Path.Combine(cli.DataDir, "outbox");
        foreach (var member in new[] { "camille", "dominique", "sacha" })
        {
            var mail = Assert.Single(Directory.GetFiles(outbox, $"*{member}@*.eml"));
            await PeerChecker.AssertPassesAsync(mail, RepoPaths.DemoKey(member + ".sec.asc"), RepoPaths.DemoKey(member + ".pub.asc"),
                RepoPaths.DemoKey("list.pub.asc"), "Ordre du jour", "Compte-rendu de l'AG du 21 novembre 2026");
        }

        Assert.Empty(DataDirScan.FilesContaining(cli.DataDir, "Ordre du jour"));

        // The demo minutes are Markdown: rendered as submit --file x.md renders them, so no member sees # and **.
        var camille = await OpenedMail.DecryptAsync(Assert.Single(Directory.GetFiles(outbox, "*camille@*.eml")), RepoPaths.DemoKey("camille.sec.asc"));
        var html = OpenedMail.Html(camille);
        Assert.NotNull(html);
        Assert.Contains("<h1", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", html.Text, StringComparison.Ordinal);

        var shown = await cli.SucceedAsync("list", "show", "ag-demo", "--json");
        using (var json = System.Text.Json.JsonDocument.Parse(shown.Stdout))
        {
            var list = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(3, list.GetProperty("members").GetInt32());
            Assert.Equal(1, list.GetProperty("admins").GetInt32());
            Assert.Equal("6CC6688B1877B48F2D952249A3473986BE9DAE72", list.GetProperty("fingerprint").GetString());
        }

        // Running it again reuses the list and sends a new submission.
        var again = await cli.SucceedAsync("demo");
        Assert.DoesNotContain("Created the demo list", again.Stdout, StringComparison.Ordinal);
    }
}
