using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Delivery;

/// <summary>
/// The "done when": a list whose members hold every kind of key gets one mail each through a real
/// SMTP server (STARTTLS + AUTH over loopback TCP), and gpg, RNP and Sequoia each decrypt and verify every
/// mail, encrypted to that member alone. Nothing of the minutes is left in clear in the data dir.
/// </summary>
public sealed class SmtpDeliveryTests
{
    private sealed record MemberKey(string Email, string PublicKey, string SecretKey);

    [Fact]
    public async Task SubmitWait_DeliversOnePeerCheckedMailPerMember_ThroughStartTlsWithAuth()
    {
        using var work = new TempDir();
        using var gpg = new Gpg();
        await using var sink = await SmtpSink.StartAsync("--starttls", "--require-starttls", "--auth", "--auth-required");
        var cli = new CliRunner(work.Combine("data"));
        cli.Environment["SINK_PASSWORD"] = "any-password";

        var rsa2048 = await gpg.GenerateAsync("RSA2048 Test <rsa2048@example.org>", "rsa2048", work.Path, "rsa2048");
        var members = new List<MemberKey>
        {
            new("rsa2048@example.org", rsa2048.PublicKey, rsa2048.SecretKey),
            Fixture("rsa3072", "rsa3072@example.org"),
            Fixture("rsa4096", "rsa4096@example.org"),
            Fixture("ed25519", "ed25519@example.org"),
            Fixture("sq-cv25519", "sq@example.org"),
            // The member's address is the key's second user id, typed with other capitals.
            Fixture("twouid", "TwoUID-B@Example.org"),
            Fixture("twosub", "twosub@example.org"),
        };

        await cli.SucceedAsync("list create ag-test --address ag@lists.example.test --name".Split(' ').Append("AG de test").ToArray());
        var listKeyPath = work.Combine("list.pub.asc");
        await File.WriteAllTextAsync(listKeyPath, (await cli.SucceedAsync("list", "key", "ag-test")).Stdout);
        foreach (var member in members)
        {
            await cli.SucceedAsync("member", "add", "ag-test", member.Email, "--key", member.PublicKey);
        }

        await cli.SucceedAsync("provider", "set", "ag-test", "--host", "127.0.0.1", "--port", sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--security", "starttls", "--user", "ag@lists.example.test", "--password-env", "SINK_PASSWORD", "--trust-cert", sink.CertificatePath);

        var token = "jeton-" + Guid.NewGuid().ToString("N");
        const string subject = "Compte-rendu de l'AG — vote du budget ✊";
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# AG du 21 novembre\n\nDécision : le local ouvre le samedi. {token}\n\nÉmojis : 📢 ✊\n");

        var submit = await cli.RunAsync("submit", "ag-test", "--file", minutes, "--subject", subject, "--wait", "--json");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        using (var report = JsonDocument.Parse(submit.Stdout))
        {
            Assert.Equal(members.Count, report.RootElement.GetProperty("delivered").GetInt32());
            Assert.All(report.RootElement.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("state").GetString()));
        }

        var received = sink.Messages();
        Assert.Equal(members.Count, received.Count);
        foreach (var member in members)
        {
            var (path, message) = Assert.Single(received, m => m.Message.To.Mailboxes.Single().Address.Equals(member.Email, StringComparison.OrdinalIgnoreCase));
            Assert.Empty(message.Cc);
            Assert.Empty(message.Bcc);
            Assert.Equal(member.Email, message.Headers["X-Sink-Rcpt-To"], ignoreCase: true);
            Assert.Equal("[...]", message.Subject);
            Assert.EndsWith("@lists.example.test", message.MessageId, StringComparison.Ordinal);
            Assert.Null(message.Headers["User-Agent"]);
            await PeerChecker.AssertPassesAsync(path, member.SecretKey, member.PublicKey, listKeyPath, token, subject);
        }

        // A member's copy cannot be read with another member's key.
        var otherHome = new Gpg();
        using (otherHome)
        {
            await otherHome.RunAsync("--import", members[1].SecretKey);
            var copyForFirst = received.Single(m => m.Message.To.Mailboxes.Single().Address == members[0].Email).Path;
            Assert.NotEqual(0, (await otherHome.RunAsync("--decrypt", copyForFirst)).ExitCode);
        }

        Assert.Empty(DataDirScan.FilesContaining(cli.DataDir, token));
        Assert.Empty(DataDirScan.FilesContaining(cli.DataDir, "vote du budget"));
    }

    [Fact]
    public async Task Submit_ReportsTlsFailure_AndKeepsCopiesQueued_WhenTheCertificateIsNotPinned()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls", "--require-starttls");
        var cli = new CliRunner(work.Combine("data"));
        await cli.SucceedAsync("list", "create", "tls", "--address", "tls@lists.example.test");
        await cli.SucceedAsync("member", "add", "tls", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        await cli.SucceedAsync("provider", "set", "tls", "--host", "127.0.0.1", "--port", sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "starttls");
        var minutes = work.Combine("m.txt");
        await File.WriteAllTextAsync(minutes, "Compte-rendu\n");

        var submit = await cli.RunAsync("submit", "tls", "--file", minutes, "--wait", "--json");

        Assert.Equal(3, submit.ExitCode);
        var errorLine = Assert.Single(submit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: TLS with 127.0.0.1", errorLine, StringComparison.Ordinal);
        Assert.Contains("--trust-cert", errorLine, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(submit.Stdout);
        Assert.All(report.RootElement.GetProperty("deliveries").EnumerateArray(),
            d => Assert.NotEqual("failed-permanent", d.GetProperty("state").GetString()));
        Assert.Empty(sink.MessageFiles());
    }

    private static MemberKey Fixture(string name, string email) =>
        new(email, RepoPaths.FixtureKey(name + ".pub.asc"), RepoPaths.FixtureKey(name + ".sec.asc"));
}
