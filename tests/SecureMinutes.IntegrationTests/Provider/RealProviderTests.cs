using System.Globalization;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary>
/// The whole way through a real provider (Postfix submission with SASL AUTH, Dovecot IMAP, a self-signed
/// certificate): <c>doctor</c> finds every step working, <c>submit --wait</c> hands one copy per member to
/// Postfix, each member's client reads it back over IMAPS as K-9 does, and gpg, RNP (Thunderbird) and Sequoia
/// decrypt and verify every fetched copy. And what goes wrong at a provider: a wrong password, a certificate
/// nobody pinned.
/// </summary>
public sealed class RealProviderTests
{
    [Theory]
    [InlineData("tls")]
    [InlineData("starttls")]
    public async Task SubmitWait_LandsInEveryMembersInbox_ReadOverImapsAsK9Does_AndEveryCopyPassesThePeerChecker(string security)
    {
        var provider = await MailProvider.SharedAsync();
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        var port = security == "tls" ? provider.SubmissionsPort : provider.SubmissionPort;
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--security", security, "--user", list.Address, "--password-env", ProviderList.PasswordVariable, "--trust-cert", provider.CertificatePath);

        var doctor = await list.Cli.RunAsync("doctor", list.Name);
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        foreach (var check in new[] { "ok    tcp", "ok    tls       TLS 1.", "ok    auth", "ok    sender", "ok    list key", "ok    keyring", "ok    admins", "ok    sending" })
        {
            Assert.Contains(check, doctor.Stdout, StringComparison.Ordinal);
        }

        var token = "jeton-" + Guid.NewGuid().ToString("N");
        const string subject = "Compte-rendu de l'AG — budget voté ✊";
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# AG du 21 novembre\n\nLe local ouvre le samedi. {token}\n");
        var submit = await list.Cli.RunAsync("submit", list.Name, "--file", minutes, "--subject", subject, "--wait", "--json");
        Assert.True(submit.ExitCode == 0, submit.ToString());

        foreach (var member in list.Members)
        {
            var inbox = await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, member.Address, member.Password,
                expected: 1, saveTo: work.Combine("fetched"));
            var copy = Assert.Single(inbox);
            Assert.Equal(member.Address, copy.Message.To.Mailboxes.Single().Address);
            Assert.Equal(list.Address, copy.Message.From.Mailboxes.Single().Address);
            Assert.Equal("[...]", copy.Message.Subject);
            // What K-9 looks for in BODYSTRUCTURE before offering to decrypt (RFC 3156).
            Assert.Equal(("multipart/encrypted", "application/pgp-encrypted"), (copy.BodyType, copy.Protocol));
            await PeerChecker.AssertPassesAsync(copy.Path, member.SecretKey, member.PublicKey, list.ListKeyPath, token, subject);
        }

        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
    }

    [Fact]
    public async Task WrongPassword_DoctorAndSubmitReportTheRefusedLogin_TheListPauses_AndNoMemberIsFailed()
    {
        var provider = await MailProvider.SharedAsync();
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", provider.SubmissionsPort.ToString(CultureInfo.InvariantCulture),
            "--security", "tls", "--user", list.Address, "--password-env", ProviderList.PasswordVariable, "--trust-cert", provider.CertificatePath);
        list.Cli.Environment[ProviderList.PasswordVariable] = "not-the-password";

        var doctor = await list.Cli.RunAsync("doctor", list.Name);
        Assert.Equal(1, doctor.ExitCode);
        var authLine = Assert.Single(doctor.Stdout.Split('\n'), l => l.StartsWith("FAIL  auth", StringComparison.Ordinal));
        Assert.Contains($"refused the login for {list.Address}: 535", authLine, StringComparison.Ordinal);
        Assert.Contains($"fix: check the password in ${ProviderList.PasswordVariable}", authLine, StringComparison.Ordinal);
        Assert.Contains("skip  sender", doctor.Stdout, StringComparison.Ordinal);
        Assert.Equal("error: 1 check(s) failed for " + list.Name + ": auth (fixes above)", doctor.Stderr.Trim());

        var minutes = work.Combine("minutes.md");
        var token = "jeton-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");
        var submit = await list.Cli.RunAsync("submit", list.Name, "--file", minutes, "--wait", "--json");

        Assert.Equal(3, submit.ExitCode);
        var errorLine = Assert.Single(submit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the login", errorLine, StringComparison.Ordinal);
        Assert.Contains($"secureminutes list resume {list.Name}", errorLine, StringComparison.Ordinal);
        var report = JsonDocument.Parse(submit.Stdout).RootElement;
        Assert.All(report.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("queued", d.GetProperty("state").GetString()));
        var paused = await list.Cli.RunAsync("doctor", list.Name);
        Assert.Contains("FAIL  sending   paused since", paused.Stdout, StringComparison.Ordinal);

        // Nothing was lost: with the right password and the list resumed, a worker delivers every copy.
        list.Cli.Environment[ProviderList.PasswordVariable] = list.Password;
        await list.Cli.SucceedAsync("list", "resume", list.Name);
        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment[ProviderList.PasswordVariable] = list.Password;
        await using (var worker = WorkerProcess.Start(environment))
        {
            var finished = await CrashRecoveryTests.WaitForFinishedAsync(list.Cli, report.GetProperty("submission").GetString()!);
            Assert.All(finished.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("state").GetString()));
        }

        foreach (var member in list.Members.Skip(1))
        {
            var inbox = await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, member.Address, member.Password, 1, work.Combine("fetched"));
            await PeerChecker.AssertPassesAsync(Assert.Single(inbox).Path, member.SecretKey, member.PublicKey, list.ListKeyPath, token, "CR");
        }

        // The admin was told, encrypted like any mail and in the list's language (French by default), once the provider took mail again; and got the minutes.
        var admin = list.Members[0];
        var adminInbox = await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, admin.Address, admin.Password, 2, work.Combine("fetched"));
        Assert.Equal(2, adminInbox.Count);
        var minutesCopy = await FindPassingAsync(adminInbox, admin, list, token, "CR");
        var notice = await FindPassingAsync(adminInbox, admin, list, $"Les envois de la liste {list.Name} sont suspendus", $"[{list.Name}] envois suspendus");
        Assert.NotEqual(minutesCopy, notice);
    }

    /// <summary>The fetched message that the peer checker opens with this text and subject.</summary>
    private static async Task<string> FindPassingAsync(IReadOnlyList<FetchedMessage> inbox, MemberMailbox member, ProviderList list, string text, string subject)
    {
        foreach (var copy in inbox)
        {
            var result = await PeerChecker.CheckAsync(copy.Path, member.SecretKey, member.PublicKey, list.ListKeyPath, text, subject);
            if (result.ExitCode == 0)
            {
                return copy.Path;
            }
        }

        Assert.Fail($"no message in {member.Address}'s inbox passes the peer checker with subject '{subject}'");
        return "";
    }

    [Fact]
    public async Task SelfSignedCertificate_IsRefused_WithoutTrustCert_AndNothingIsSent()
    {
        var provider = await MailProvider.SharedAsync();
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", provider.SubmissionPort.ToString(CultureInfo.InvariantCulture),
            "--security", "starttls", "--user", list.Address, "--password-env", ProviderList.PasswordVariable);

        var doctor = await list.Cli.RunAsync("doctor", list.Name);
        Assert.Equal(1, doctor.ExitCode);
        var tlsLine = Assert.Single(doctor.Stdout.Split('\n'), l => l.StartsWith("FAIL  tls", StringComparison.Ordinal));
        Assert.Contains("is not trusted by this system (self-signed or unknown CA)", tlsLine, StringComparison.Ordinal);
        Assert.Contains($"fix: if this is your own server, check that fingerprint on it and pin the certificate: provider set {list.Name} --trust-cert FILE", tlsLine, StringComparison.Ordinal);
        Assert.Contains("skip  auth      not tried: no TLS session", doctor.Stdout, StringComparison.Ordinal);

        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, "# CR\n\nTexte.\n");
        var submit = await list.Cli.RunAsync("submit", list.Name, "--file", minutes, "--wait", "--json");

        Assert.Equal(3, submit.ExitCode);
        Assert.StartsWith("error: TLS with 127.0.0.1", submit.Stderr.Trim(), StringComparison.Ordinal);
        Assert.All(JsonDocument.Parse(submit.Stdout).RootElement.GetProperty("deliveries").EnumerateArray(),
            d => Assert.Equal("queued", d.GetProperty("state").GetString()));
        foreach (var member in list.Members)
        {
            Assert.Empty(await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, member.Address, member.Password, 0, work.Combine("fetched")));
        }
    }
}
