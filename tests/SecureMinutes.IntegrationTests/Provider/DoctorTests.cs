using System.Globalization;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary><c>doctor</c> names the failing step and its fix, for refusals only a real provider gives.</summary>
public sealed class DoctorTests
{
    [Fact]
    public async Task Doctor_ReportsThatTheProviderRefusesTheListAddressAsSender_WithTheFix()
    {
        // Postfix's reject_sender_login_mismatch, as providers that tie addresses to accounts (Riseup) do.
        await using var provider = await MailProvider.StartPrivateAsync(("SENDER_CHECK", "1"));
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        var other = list.Members[1];
        list.Cli.Environment["OTHER_PASSWORD"] = other.Password;
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", provider.SubmissionPort.ToString(CultureInfo.InvariantCulture),
            "--security", "starttls", "--user", other.Address, "--password-env", "OTHER_PASSWORD", "--trust-cert", provider.CertificatePath);

        var doctor = await list.Cli.RunAsync("doctor", list.Name);

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains($"ok    auth      logged in as {other.Address}", doctor.Stdout, StringComparison.Ordinal);
        var sender = Assert.Single(doctor.Stdout.Split('\n'), l => l.StartsWith("FAIL  sender", StringComparison.Ordinal));
        Assert.Contains($"refuses <{list.Address}> as sender: 553 5.7.1", sender, StringComparison.Ordinal);
        Assert.Contains($"not owned by user {other.Address}", sender, StringComparison.Ordinal);
        Assert.Contains($"(fix: the login {other.Address} may not send as {list.Address}: register {list.Address} as an alias (identity) of that account at the provider, or log in as the account that owns it)",
            sender, StringComparison.Ordinal);

        // With the right login the same check passes: it was the login, not the address.
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", provider.SubmissionPort.ToString(CultureInfo.InvariantCulture),
            "--security", "starttls", "--user", list.Address, "--password-env", ProviderList.PasswordVariable, "--trust-cert", provider.CertificatePath);
        Assert.Contains("ok    sender", (await list.Cli.SucceedAsync("doctor", list.Name)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_SaysTheProxyIsNotRunning_AndTriesNothingFurther()
    {
        using var work = new TempDir();
        var cli = new CliRunner(work.Combine("data"));
        var port = FreePort.Next();
        await cli.SucceedAsync("list", "create", "tor", "--address", "tor@lists.example.test");
        await cli.SucceedAsync("provider", "set", "tor", "--preset", "riseup", "--user", "tor", "--password-env", "RISEUP_PASSWORD",
            "--socks5", $"127.0.0.1:{port}");

        var doctor = await cli.RunAsync("doctor", "tor");

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("skip  dns       mail.riseup.net is resolved by the SOCKS5 proxy", doctor.Stdout, StringComparison.Ordinal);
        var tcp = Assert.Single(doctor.Stdout.Split('\n'), l => l.StartsWith("FAIL  tcp", StringComparison.Ordinal));
        Assert.Contains($"cannot reach the SOCKS5 proxy 127.0.0.1:{port}", tcp, StringComparison.Ordinal);
        Assert.Contains("(fix: start the proxy, or correct it: provider set tor --socks5 HOST:PORT (or --tor))", tcp, StringComparison.Ordinal);
        Assert.Contains("skip  tls       not tried: no connection", doctor.Stdout, StringComparison.Ordinal);
        // The rest of the list is still checked: no member yet, no admin.
        Assert.Contains("warn  keyring   the list has no members yet", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains("warn  admins", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok    sending   not paused; at most 10/min", doctor.Stdout, StringComparison.Ordinal);
    }
}
