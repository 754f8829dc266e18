using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Net;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary>
/// A list set to send over Tor (here the shared Tor stand-in, which resolves names like Tor and maps them onto
/// the local provider). The provider's name is under <c>.invalid</c> (RFC 2606: it never resolves), so any
/// local DNS lookup would make the connection fail; on top of that, strace records every connect() the
/// program makes, and the proxy's log shows the name each connection asked for.
/// </summary>
public sealed partial class TorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThroughSocks5_EveryConnectionGoesViaTheProxy_AndNoDnsQueryLeavesForTheProviderName()
    {
        var provider = await MailProvider.SharedAsync();
        await using var proxy = await Socks5Proxy.StartAsync(provider);
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        var domain = $"{list.Name}.invalid";
        var smtpHost = $"smtp.{domain}";
        await Assert.ThrowsAnyAsync<SocketException>(() => Dns.GetHostAddressesAsync(smtpHost));

        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", smtpHost, "--port", "465", "--socks5", proxy.Address,
            "--user", list.Address, "--password-env", ProviderList.PasswordVariable, "--trust-cert", provider.CertificatePath);

        var (doctor, doctorConnects) = await TracedAsync(list.Cli, work, "doctor", list.Name);
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.Contains($"skip  dns       {smtpHost} is resolved by the SOCKS5 proxy {proxy.Address}: no DNS query leaves this machine", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ok    tcp       connected to {smtpHost}:465 through the SOCKS5 proxy {proxy.Address}", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok    sender", doctor.Stdout, StringComparison.Ordinal);

        var token = "jeton-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR par Tor\n\n{token}\n");
        var (submit, submitConnects) = await TracedAsync(list.Cli, work, "submit", list.Name, "--file", minutes, "--wait");
        Assert.True(submit.ExitCode == 0, submit.ToString());

        // The program connected to nothing but the proxy: no DNS server (port 53), no nscd, no provider address.
        var connects = doctorConnects.Concat(submitConnects).ToList();
        output.WriteLine($"connect() calls: {connects.Count}\n{string.Join('\n', connects)}");
        Assert.NotEmpty(connects);
        Assert.All(connects, c => Assert.Matches($@"sa_family=AF_INET, sin_port=htons\({proxy.Port}\), sin_addr=inet_addr\(""127\.0\.0\.1""\)", c));
        // And the proxy was asked for the provider by name, never by an address resolved here.
        var log = proxy.Log;
        output.WriteLine(string.Join('\n', log));
        Assert.True(log.Count(l => l.Contains($"CONNECT {smtpHost}:465 -> 127.0.0.1:{provider.SubmissionsPort} ok", StringComparison.Ordinal)) >= 3,
            "doctor's TCP and TLS checks and the delivery session each went through the proxy");
        Assert.DoesNotContain(log, l => ConnectToAddress().IsMatch(l));

        // Members read their mail through the list's proxy too (IMAP over SOCKS5 with ListNetwork's client).
        long listId;
        await using (var local = new InProcess(list.Cli.DataDir))
        {
            listId = (await local.Get<Storage.ListStore>().GetAsync(list.Name)).Id;
            foreach (var member in list.Members)
            {
                var inbox = await ImapMailbox.FetchAsync($"imap.{domain}", 993, provider.CertificatePath, member.Address, member.Password, 1,
                    work.Combine("fetched"), proxy: await local.Get<ListNetwork>().MailProxyAsync(listId));
                await PeerChecker.AssertPassesAsync(Assert.Single(inbox).Path, member.SecretKey, member.PublicKey, list.ListKeyPath, token, "CR par Tor");
            }

            Assert.Contains(proxy.Log, l => l.Contains($"CONNECT imap.{domain}:993 -> 127.0.0.1:{provider.ImapsPort} ok", StringComparison.Ordinal));

            // And HTTP (pads, keyservers) from ListNetwork goes the same way, by name.
            Directory.CreateDirectory(work.Combine("www"));
            await File.WriteAllTextAsync(work.Combine("www", "pad.txt"), "Ordre du jour : budget");
            await using var pads = await StaticHttpServer.StartAsync(work.Combine("www"));
            var padPort = pads.Port;
            using var http = await local.Get<ListNetwork>().CreateHttpClientAsync(listId, TimeSpan.FromSeconds(30));
            Assert.Equal("Ordre du jour : budget", await http.GetStringAsync(new Uri($"http://pads.{domain}:{padPort}/pad.txt")));
            Assert.Contains(proxy.Log, l => l.Contains($"CONNECT pads.{domain}:{padPort} -> 127.0.0.1:{padPort} ok", StringComparison.Ordinal));
        }
    }

    /// <summary>Runs the CLI under strace and returns every connect() it (and its threads) made.</summary>
    private static async Task<(ProcessResult Result, IReadOnlyList<string> Connects)> TracedAsync(CliRunner cli, TempDir work, params string[] arguments)
    {
        var trace = work.Combine($"strace-{Guid.NewGuid():N}.txt");
        var result = await ProcessRunner.RunAsync("strace",
            new[] { "-f", "-qq", "-e", "trace=connect", "-o", trace, "dotnet", RepoPaths.ProgramDll }.Concat(arguments), cli.Environment);
        Assert.True(File.Exists(trace), $"strace could not trace the program (it needs ptrace; Debian package strace)\n{result}");
        return (result, (await File.ReadAllLinesAsync(trace)).Where(l => l.Contains("connect(", StringComparison.Ordinal)).ToList());
    }

    [GeneratedRegex(@"CONNECT \d+\.\d+\.\d+\.\d+:")]
    private static partial Regex ConnectToAddress();
}
