using System.Globalization;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>
/// <c>list key rotate</c> and <c>revoke</c> end to end: the announcement reaches members signed by the key
/// they already trust (gpg, RNP and Sequoia verify it against the PREVIOUS key), later minutes are signed by
/// the new key, a revoked key signs nothing, and the rotation after a revocation announces itself with the new key.
/// </summary>
public sealed class ListKeyRotationTests
{
    [Fact]
    public async Task Rotate_AnnouncesTheNewKeySignedByThePreviousOne_ThenMinutesAreSignedByTheNewKey_AndARevokedKeySignsNothing()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var cli = new CliRunner(work.Combine("data"));
        await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test", "--name", "AG du collectif");
        await cli.SucceedAsync("member", "add", "ag", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"), "--admin");
        await cli.SucceedAsync("member", "add", "ag", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        await cli.SucceedAsync("provider", "set", "ag", "--host", "127.0.0.1", "--port", sink.Port.ToString(CultureInfo.InvariantCulture),
            "--security", "starttls", "--trust-cert", sink.CertificatePath);
        var first = await ExportAsync(cli, work, "first");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(cli.DataDir));

        var rotate = await cli.SucceedAsync("list", "key", "rotate", "ag", "--by", "Camille");
        var second = await ExportAsync(cli, work, "second");
        var secondFingerprint = rotate.Stdout.Split('\n')[0].Split(": ")[1].Trim();
        await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count == 2, TimeSpan.FromSeconds(60), () => worker.Output);
        var announcement = MailTo(sink, "ed25519@example.org").Single();
        await PeerChecker.AssertPassesAsync(announcement, RepoPaths.FixtureKey("ed25519.sec.asc"), RepoPaths.FixtureKey("ed25519.pub.asc"),
            first, secondFingerprint, "Nouvelle clé de la liste AG du collectif");

        var token = "apres-rotation-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");
        await cli.SucceedAsync("submit", "ag", "--file", minutes, "--subject", "CR après rotation");
        await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count == 4, TimeSpan.FromSeconds(60), () => worker.Output);
        var afterRotation = MailTo(sink, "rsa3072@example.org").Last();
        await PeerChecker.AssertPassesAsync(afterRotation, RepoPaths.FixtureKey("rsa3072.sec.asc"), RepoPaths.FixtureKey("rsa3072.pub.asc"),
            second, token, "CR après rotation");

        var revoke = await cli.RunAsync("list", "key", "revoke", "ag", "--yes", "--comment", "serveur saisi");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", revoke.Stdout, StringComparison.Ordinal);
        var refused = await cli.RunAsync("submit", "ag", "--file", minutes);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("was revoked", refused.Stderr, StringComparison.Ordinal);

        await cli.SucceedAsync("list", "key", "rotate", "ag");
        var third = await ExportAsync(cli, work, "third");
        // The admin's revocation notice (queued while the list was paused) and the announcement, both signed by the new key.
        await SinkCounts.WaitUntilAsync(() => MailTo(sink, "ed25519@example.org").Count == 3 && MailTo(sink, "rsa3072@example.org").Count == 4,
            TimeSpan.FromSeconds(90), () => worker.Output);
        await PeerChecker.AssertPassesAsync(MailTo(sink, "ed25519@example.org").Last(), RepoPaths.FixtureKey("ed25519.sec.asc"), RepoPaths.FixtureKey("ed25519.pub.asc"),
            third, "RÉVOQUÉE", "Nouvelle clé de la liste AG du collectif");

        var all = await cli.SucceedAsync("list", "key", "export", "ag", "--all");
        using var gpg = new Gpg();
        await File.WriteAllTextAsync(work.Combine("all.asc"), all.Stdout);
        Assert.Equal(0, (await gpg.RunAsync("--import", work.Combine("all.asc"))).ExitCode);
        var listed = (await gpg.RunAsync("--with-colons", "--list-keys")).Stdout;
        Assert.Equal(3, listed.Split('\n').Count(l => l.StartsWith("pub:", StringComparison.Ordinal)));
        Assert.Single(listed.Split('\n'), l => l.StartsWith("pub:r:", StringComparison.Ordinal)); // the second key, revoked

        var audit = (await cli.SucceedAsync("audit", "ag")).Stdout;
        Assert.Contains("Camille  list-key-rotated", audit, StringComparison.Ordinal);
        Assert.Contains("list-key-revoked", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(token, audit, StringComparison.Ordinal);
    }

    private static List<string> MailTo(SmtpSink sink, string address) =>
        sink.Messages().Where(m => m.Message.To.Mailboxes.Single().Address == address).Select(m => m.Path).ToList();

    private static async Task<string> ExportAsync(CliRunner cli, TempDir work, string name)
    {
        var path = work.Combine(name + ".pub.asc");
        await File.WriteAllTextAsync(path, (await cli.SucceedAsync("list", "key", "export", "ag")).Stdout);
        return path;
    }
}
