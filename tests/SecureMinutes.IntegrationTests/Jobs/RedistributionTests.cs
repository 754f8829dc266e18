using SecureMinutes.Tests.Support;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>Late joiners get the latest minutes; a member whose key was unusable gets them once a usable key is imported.</summary>
public sealed class RedistributionTests
{
    [Fact]
    public async Task NewMemberReceivesLatestMinutes_AndFixedMemberReceivesTheMissedOnes_AndAdminsAreTold()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            await setup.CreateListAsync("redis", 2, sink);
            await setup.Get<Membership>().SetFlagsAsync("redis", "m0001@example.org", isAdmin: true, wantsDigest: null);
        }

        // A member whose key was valid when added (2020) and has expired since.
        await using (var past = new InProcess(dataDir, time: new TestClock(new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            await past.Get<Membership>().AddAsync("redis", "expired@example.org", await File.ReadAllBytesAsync(RepoPaths.FixtureKey("expired.pub.asc")),
                "expired.pub.asc", new MemberOptions());
        }

        var cli = new CliRunner(dataDir);
        var token = "redis-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(dataDir));

        var submissionId = (await cli.SucceedAsync("submit", "redis", "--file", minutes, "--subject", "CR redistribué")).Stdout.Trim();
        var first = await CrashRecoveryTests.WaitForFinishedAsync(cli, submissionId);
        Assert.Equal(2, first.GetProperty("delivered").GetInt32());
        var skipped = first.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("email").GetString() == "expired@example.org");
        Assert.Equal("skipped-no-key", skipped.GetProperty("state").GetString());
        // Instead of the minutes, the expired member gets the keyless notice (issue 11), from the worker's job: signed by the
        // list, not encrypted, and holding nothing of the minutes.
        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).ContainsKey("expired@example.org"), TimeSpan.FromSeconds(60), () => worker.Output);
        var keyless = sink.Messages().Single(m => m.Message.To.Mailboxes.Single().Address == "expired@example.org");
        Assert.IsType<MimeKit.Cryptography.MultipartSigned>(keyless.Message.Body);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(keyless.Path), StringComparison.Ordinal);
        Assert.DoesNotContain("CR redistribué", keyless.Message.Subject, StringComparison.Ordinal);
        // The admin is told, by an encrypted notice of its own.
        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).GetValueOrDefault("m0001@example.org") == 2, TimeSpan.FromSeconds(30), () => worker.Output);

        // A late joiner.
        await cli.SucceedAsync("member", "add", "redis", "late@example.org", "--key", RepoPaths.FixtureKey("rsa4096.pub.asc"), "--allow-uid-mismatch");
        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).ContainsKey("late@example.org"), TimeSpan.FromSeconds(60), () => worker.Output);
        var lateCopy = sink.Messages().Single(m => m.Message.To.Mailboxes.Single().Address == "late@example.org").Path;
        await PeerChecker.AssertPassesAsync(lateCopy, RepoPaths.FixtureKey("rsa4096.sec.asc"), RepoPaths.FixtureKey("rsa4096.pub.asc"),
            await ListKeyAsync(cli, work), token, "CR redistribué");

        // The expired member sends a usable key; the admin imports it.
        await cli.SucceedAsync("member", "add", "redis", "expired@example.org", "--key", RepoPaths.FixtureKey("twosub.pub.asc"), "--allow-uid-mismatch", "--replace");
        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).GetValueOrDefault("expired@example.org") == 2, TimeSpan.FromSeconds(60), () => worker.Output);
        var fixedCopy = sink.Messages().Single(m => m.Message.To.Mailboxes.Single().Address == "expired@example.org"
            && m.Message.Body is MimeKit.Cryptography.MultipartEncrypted).Path;
        await PeerChecker.AssertPassesAsync(fixedCopy, RepoPaths.FixtureKey("twosub.sec.asc"), RepoPaths.FixtureKey("twosub.pub.asc"),
            await ListKeyAsync(cli, work), token, "CR redistribué");

        var final = await CrashRecoveryTests.WaitForFinishedAsync(cli, submissionId);
        Assert.Equal(4, final.GetProperty("delivered").GetInt32());
        Assert.Equal(1, SinkCounts.PerRecipient(sink)["m0002@example.org"]);
        Assert.Empty(DataDirScan.FilesContaining(dataDir, token));
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
    }

    private static async Task<string> ListKeyAsync(CliRunner cli, TempDir work)
    {
        var path = work.Combine("list.pub.asc");
        await File.WriteAllTextAsync(path, (await cli.SucceedAsync("list", "key", "redis")).Stdout);
        return path;
    }
}
