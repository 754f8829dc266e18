using System.Globalization;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary><c>key show</c>, <c>member add --dry-run</c>, <c>keys check</c> and verified-only lists, as admins run them.</summary>
public sealed class KeyringCliTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _work = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_work.Combine("data"));
        await _cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task KeyShow_ReadsTheKeyThunderbirdAttached_AndMemberAddTakesTheSameMail()
    {
        var mail = _work.Combine("Ma clé publique.eml");
        await File.WriteAllBytesAsync(mail, KeyMail.ThunderbirdAttachedKey(await File.ReadAllTextAsync(RepoPaths.FixtureKey("twosub.pub.asc")), "0A7CCC831DA2B699", base64: false));

        var show = await _cli.SucceedAsync("key", "show", mail);

        Assert.Contains("Key 6869 366C 848A 745F 15F0 B1AF 0A7C CC83 1DA2 B699", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("From:        Ma clé publique.eml: attachment OpenPGP_0x0A7CCC831DA2B699.asc", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("User ids:    Two Subkeys Test <twosub@example.org>", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, show.Stdout.Split('\n').Count(l => l.EndsWith(": used for encryption", StringComparison.Ordinal)));
        var json = await _cli.SucceedAsync("key", "show", RepoPaths.FixtureKey("sq-cv25519.pub.asc"), "--json");
        using (var parsed = JsonDocument.Parse(json.Stdout))
        {
            var keys = parsed.RootElement[0].GetProperty("keys").EnumerateArray().ToList();
            Assert.Equal(4, keys.Count);
            Assert.Single(keys, k => k.GetProperty("usedForEncryption").GetBoolean());
        }

        var dryRun = await _cli.SucceedAsync("member", "add", "ag", "twosub@example.org", "--key", mail, "--dry-run");
        Assert.Contains("Dry run, nothing stored: would add twosub@example.org", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("6869 366C 848A", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Equal("[]", (await _cli.SucceedAsync("member", "list", "ag", "--json")).Stdout.Trim());

        var added = await _cli.SucceedAsync("member", "add", "ag", "twosub@example.org", "--key", mail, "--fingerprint", "6869366c848a745f15f0b1af0a7ccc831da2b699");
        Assert.Contains("Added twosub@example.org, fingerprint verified", added.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCheck_ExitsNonZero_WhenAMemberCannotReceive_AndNamesWhy()
    {
        await _cli.SucceedAsync("member", "add", "ag", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        var healthy = await _cli.RunAsync("keys", "check", "ag");
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Contains("1 usable, 0 expiring, 0 expired, 0 revoked, 0 missing, 1 unverified; every member can receive mail.", healthy.Stdout, StringComparison.Ordinal);

        await using (var past = new InProcess(_cli.DataDir, time: new TestClock(new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            await past.Get<Membership>().AddAsync("ag", "expired@example.org", await File.ReadAllBytesAsync(RepoPaths.FixtureKey("expired.pub.asc")), "expired.pub.asc", new MemberOptions());
        }

        var soon = TestKeyBuilder.Create("Soon <soon@example.org>", DateTimeOffset.UtcNow).Expiring(DateTimeOffset.UtcNow.AddDays(10)).WithCv25519Subkey().Build();
        await File.WriteAllBytesAsync(_work.Combine("soon.gpg"), soon.GetEncoded());
        await _cli.SucceedAsync("member", "add", "ag", "soon@example.org", "--key", _work.Combine("soon.gpg"));

        var check = await _cli.RunAsync("keys", "check", "ag", "--json");

        Assert.Equal(4, check.ExitCode);
        using var json = JsonDocument.Parse(check.Stdout);
        var members = json.RootElement.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("email").GetString()!, m => m);
        Assert.Equal("expired", members["expired@example.org"].GetProperty("state").GetString());
        Assert.False(members["expired@example.org"].GetProperty("canReceive").GetBoolean());
        Assert.Contains("expired on 2020-12-31", members["expired@example.org"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal("expiring", members["soon@example.org"].GetProperty("state").GetString());
        Assert.Equal(10, members["soon@example.org"].GetProperty("daysLeft").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("counts").GetProperty("expired").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("counts").GetProperty("unverified").GetInt32());
    }

    [Fact]
    public async Task RequireVerified_SkipsUnverifiedMembersWithTheReason_UntilVerified_ThenTheyReceiveWhatTheyMissed()
    {
        await using var sink = await SmtpSink.StartAsync("--starttls");
        await _cli.SucceedAsync("member", "add", "ag", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"), "--admin",
            "--fingerprint", "5BCC 8513 CF57 7ABB 8523  1A76 47F5 5490 E6F4 FA02");
        await _cli.SucceedAsync("member", "add", "ag", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
        await _cli.SucceedAsync("provider", "set", "ag", "--host", "127.0.0.1", "--port", sink.Port.ToString(CultureInfo.InvariantCulture),
            "--security", "starttls", "--trust-cert", sink.CertificatePath);
        var set = await _cli.SucceedAsync("list", "set", "ag", "--require-verified", "--by", "Sacha");
        Assert.Contains("will be sent nothing until you run member verify: ed25519@example.org", set.Stderr, StringComparison.Ordinal);
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(_cli.DataDir));
        var minutes = _work.Combine("cr.md");
        await File.WriteAllTextAsync(minutes, "# CR\n\nverified only\n");

        var submissionId = (await _cli.SucceedAsync("submit", "ag", "--file", minutes, "--subject", "CR")).Stdout.Trim();
        var status = await CrashRecoveryTests.WaitForFinishedAsync(_cli, submissionId);

        var skipped = status.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("email").GetString() == "ed25519@example.org");
        Assert.Equal("skipped-no-key", skipped.GetProperty("state").GetString());
        Assert.Contains("requires verified keys", skipped.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, status.GetProperty("delivered").GetInt32());
        // The admin hears of it, with the command that fixes it.
        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).GetValueOrDefault("rsa3072@example.org") == 2, TimeSpan.FromSeconds(60), () => worker.Output);
        Assert.False(SinkCounts.PerRecipient(sink).ContainsKey("ed25519@example.org"));

        var verify = await _cli.RunAsync("member", "verify", "ag", "ed25519@example.org", "--fingerprint", "8671 6760 B680 67FC C837 EEC3 EE89 DCF4 DBCF B9A5");
        Assert.Equal(1, verify.ExitCode);
        await _cli.SucceedAsync("member", "verify", "ag", "ed25519@example.org", "--fingerprint", "8671 6760 B680 67FC C837 EEC3 EE89 DCF4 DBCF B9A4", "--by", "Sacha");

        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).ContainsKey("ed25519@example.org"), TimeSpan.FromSeconds(60), () => worker.Output);
        var final = await CrashRecoveryTests.WaitForFinishedAsync(_cli, submissionId);
        Assert.Equal(2, final.GetProperty("delivered").GetInt32());
        var audit = (await _cli.SucceedAsync("audit", "ag", "--member", "ed25519@example.org")).Stdout;
        Assert.Contains("Sacha  member-verified ed25519@example.org 86716760B68067FCC837EEC3EE89DCF4DBCFB9A4", audit, StringComparison.Ordinal);
    }
}
