using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// A list that sends through Tor (provider <c>--socks5</c>) also reads its pads and its intake mailbox
/// through Tor: the names go to the proxy (no DNS query from this machine), and an onion pad works over http.
/// </summary>
public sealed class TorIntakeTests
{
    [Fact]
    public async Task PadsAndMailIn_GoThroughTheListsSocks5Proxy_ByName()
    {
        await Etherpad.StartAsync();
        await MailInProvider.StartAsync();
        await using var list = await IntakeList.CreateAsync("tor");
        await using var proxy = await MappingSocks5Proxy.StartAsync("*.onion=127.0.0.1", "imap.example.test=127.0.0.1");
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", list.Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--security", "starttls", "--trust-cert", list.Sink.CertificatePath, "--socks5", proxy.Address);
        var pad = Etherpad.NewPadName("onion");
        await Etherpad.CreatePadAsync(pad, "CR lu par Tor 🧅\n");
        var onionHost = "agpad2xyzabcdefghijk.onion";

        await list.Cli.SucceedAsync("submit", list.Name, "--pad", $"http://{onionHost}:{new Uri(Etherpad.Url).Port}/p/{pad}", "--subject", "CR", "--wait");

        await list.AssertEachMemberReceivedAsync(0, await Etherpad.GetTextAsync(pad), "CR", peerCheck: false);
        Assert.Contains($"CONNECT {onionHost}:{new Uri(Etherpad.Url).Port} -> 127.0.0.1", proxy.Log, StringComparison.Ordinal);

        await MailInProvider.AddUserAsync(list.Address, "tor-pw");
        await list.Cli.SucceedAsync("provider", "set-intake", list.Name, "--host", "imap.example.test", "--port", MailInProvider.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--security", "tls", "--user", list.Address, "--password-env", "INTAKE_PASSWORD", "--trust-cert", MailInProvider.CertificatePath);
        list.Cli.Environment["INTAKE_PASSWORD"] = "tor-pw";
        var check = await list.Cli.SucceedAsync("provider", "check-intake", list.Name);

        Assert.Equal("No new mail.", check.Stdout.Trim());
        Assert.Contains($"CONNECT imap.example.test:{MailInProvider.ImapsPort} -> 127.0.0.1", proxy.Log, StringComparison.Ordinal);
    }
}
