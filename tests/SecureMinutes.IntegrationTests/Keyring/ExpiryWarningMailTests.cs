using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.IntegrationTests.Keyring;

/// <summary>
/// The expiry warning a member gets is a real encrypted mail that gpg, RNP and Sequoia open with the member's
/// key (made by gpg, expiring in 20 days), and the admins get theirs; a second run the same day sends nothing.
/// (Each threshold once, over weeks of a fake clock: KeyLifecycleTests in the unit tests.)
/// </summary>
public sealed class ExpiryWarningMailTests
{
    [Fact]
    public async Task Lifecycle_SendsTheMemberAPeerCheckedWarning_AndTheAdminsASummary_OnceADay()
    {
        using var work = new TempDir();
        using var gpg = new Gpg();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var camille = await GenerateExpiringAsync(gpg, work, "Camille <camille@members.example.test>", "camille");
        var dataDir = work.Combine("data");
        await using var services = new InProcess(dataDir);
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var listKey = work.Combine("list.pub.asc");
        await File.WriteAllTextAsync(listKey, ListService.ArmoredPublicKey(list));
        var membership = services.Get<Membership>();
        await membership.AddAsync("ag", "admin@example.org", await File.ReadAllBytesAsync(RepoPaths.FixtureKey("ed25519.pub.asc")), "admin.asc",
            new MemberOptions(AllowUserIdMismatch: true, IsAdmin: true));
        await membership.AddAsync("ag", "camille@members.example.test", await File.ReadAllBytesAsync(camille.PublicKey), "camille.asc", new MemberOptions());
        await services.Get<ProviderSetup>().SetSmtpAsync("ag", "127.0.0.1", sink.Port, "starttls", null, null, null, sink.CertificatePath);

        var report = await services.Get<KeyLifecycle>().RunAsync(list, default);
        var again = await services.Get<KeyLifecycle>().RunAsync(list, default);

        Assert.Equal("camille@members.example.test", Assert.Single(report.Warned).Member.Email);
        Assert.True(report.AdminsTold);
        Assert.Empty(again.Warned);
        Assert.False(again.AdminsTold);
        var notices = await services.Get<SubmissionStore>().LatestAsync(list.Id, SubmissionKind.Notice, 10);
        Assert.Equal(2, notices.Count);
        foreach (var notice in notices)
        {
            await services.Get<DeliveryRunner>().RunAsync(notice, list);
        }

        var toCamille = sink.Messages().Single(m => m.Message.To.Mailboxes.Single().Address == "camille@members.example.test").Path;
        var daysLeft = report.Warned[0].DaysLeft;
        await PeerChecker.AssertPassesAsync(toCamille, camille.SecretKey, camille.PublicKey, listKey,
            "Thunderbird", $"Votre clé expire dans {daysLeft} jour(s)");
        var toAdmin = sink.Messages().Single(m => m.Message.To.Mailboxes.Single().Address == "admin@example.org").Path;
        await PeerChecker.AssertPassesAsync(toAdmin, RepoPaths.FixtureKey("ed25519.sec.asc"), RepoPaths.FixtureKey("ed25519.pub.asc"), listKey,
            "camille@members.example.test", "[ag] clés à renouveler");
    }

    /// <summary>A key as gpg makes it with an expiry date (Ed25519 primary, Cv25519 subkey, both for 20 days).</summary>
    private static async Task<(string PublicKey, string SecretKey)> GenerateExpiringAsync(Gpg gpg, TempDir work, string userId, string name)
    {
        Assert.Equal(0, (await gpg.RunAsync("--quick-gen-key", userId, "future-default", "sign,cert", "20d")).ExitCode);
        var fingerprint = (await gpg.RunAsync("--with-colons", "--list-keys", userId)).Stdout.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        Assert.Equal(0, (await gpg.RunAsync("--quick-add-key", fingerprint, "future-default", "encr", "20d")).ExitCode);
        var publicPath = work.Combine(name + ".pub.asc");
        var secretPath = work.Combine(name + ".sec.asc");
        await File.WriteAllTextAsync(publicPath, (await gpg.RunAsync("--armor", "--export", fingerprint)).Stdout);
        await File.WriteAllTextAsync(secretPath, (await gpg.RunAsync("--armor", "--export-secret-keys", fingerprint)).Stdout);
        return (publicPath, secretPath);
    }
}
