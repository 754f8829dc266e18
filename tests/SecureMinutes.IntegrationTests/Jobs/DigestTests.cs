using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>The digest: the period's minutes as one encrypted mail, only to members who opted in.</summary>
public sealed class DigestTests
{
    [Fact]
    public async Task Digest_SendsThePeriodsMinutesAsOneEncryptedMail_ToMembersWhoOptedIn()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            await setup.CreateListAsync("hebdo", 3, sink);
        }

        var cli = new CliRunner(dataDir);
        await cli.SucceedAsync("member", "set", "hebdo", "m0001@example.org", "--digest");
        await cli.SucceedAsync("member", "set", "hebdo", "m0003@example.org", "--digest");
        await cli.SucceedAsync("list", "set", "hebdo", "--digest", "weekly");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(dataDir));

        var tokens = new[] { "premier-" + Guid.NewGuid().ToString("N"), "second-" + Guid.NewGuid().ToString("N") };
        foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
        {
            var minutes = work.Combine($"m{i}.md");
            await File.WriteAllTextAsync(minutes, $"# AG n°{i + 1}\n\n{token}\n");
            var id = (await cli.SucceedAsync("submit", "hebdo", "--file", minutes)).Stdout.Trim();
            await CrashRecoveryTests.WaitForFinishedAsync(cli, id);
        }

        Assert.Equal(6, sink.MessageFiles().Count);
        await cli.SucceedAsync("list", "digest", "hebdo");
        await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count == 8, TimeSpan.FromSeconds(60), () => worker.Output);

        var counts = SinkCounts.PerRecipient(sink);
        Assert.Equal(3, counts["m0001@example.org"]);
        Assert.Equal(2, counts["m0002@example.org"]);
        Assert.Equal(3, counts["m0003@example.org"]);

        // m0001 holds the rsa3072 fixture key (InProcess gives member i the fixture key i % 3).
        var digest = sink.Messages().Where(m => m.Message.To.Mailboxes.Single().Address == "m0001@example.org").Last().Path;
        var listKey = work.Combine("list.pub.asc");
        await File.WriteAllTextAsync(listKey, (await cli.SucceedAsync("list", "key", "hebdo")).Stdout);
        using var gpg = new Gpg();
        await gpg.RunAsync("--import", RepoPaths.FixtureKey("rsa3072.sec.asc"));
        var decrypted = await gpg.RunAsync("--decrypt", digest);
        Assert.True(decrypted.ExitCode == 0, decrypted.ToString());
        Assert.Contains("multipart/digest", decrypted.Stdout, StringComparison.Ordinal);
        foreach (var token in tokens)
        {
            Assert.Contains(token, decrypted.Stdout, StringComparison.Ordinal);
        }

        await PeerChecker.AssertPassesAsync(digest, RepoPaths.FixtureKey("rsa3072.sec.asc"), RepoPaths.FixtureKey("rsa3072.pub.asc"), listKey,
            tokens[1], "Résumé de hebdo — 2 compte(s)-rendu(s)");
        Assert.Empty(DataDirScan.FilesContaining(dataDir, tokens[0]));
    }
}
