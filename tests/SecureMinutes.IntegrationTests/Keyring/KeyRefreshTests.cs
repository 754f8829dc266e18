using System.Text;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Keyring;

/// <summary>
/// <c>keys refresh</c> against a real HTTPS keyserver and WKD on loopback, reached through the shared SOCKS5
/// proxy as through Tor: same-key updates are merged, a revocation is picked up, a different key is reported
/// and never adopted, and the proxy's log shows every connection went through it.
/// </summary>
public sealed class KeyRefreshTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] HostNames =
        ["keys.example.test", "hkp.example.test", "openpgpkey.example.org", "example.org", "openpgpkey.members.example.test", "members.example.test"];

    private readonly TempDir _work = new();
    private readonly Gpg _gpg = new();
    private KeyServer _server = null!;
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _server = await KeyServer.StartAsync(HostNames);
        _cli = new CliRunner(_work.Combine("data"));
        _cli.Environment["SECUREMINUTES_KEYSERVER_TRUST_CERT"] = _server.CertificatePath;
        await _cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _gpg.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task KeysRefresh_MergesAnExtendedExpiryAndARevocation_ReportsADifferentKey_AllThroughTheSocks5Proxy()
    {
        // expired@example.org: pinned to the fixture that expired in 2020 (added back then); VKS has it extended.
        await using (var past = new InProcess(_cli.DataDir, time: new TestClock(new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            await past.Get<Membership>().AddAsync("ag", "expired@example.org", await File.ReadAllBytesAsync(RepoPaths.FixtureKey("expired.pub.asc")), "expired.pub.asc", new MemberOptions());
        }

        var expiredFingerprint = Fixture("expired");
        await ImportSecretAsync("expired");
        await GpgOkAsync("--quick-set-expire", expiredFingerprint, "2y");
        await GpgOkAsync("--quick-set-expire", expiredFingerprint, "2y", SubkeyOf("expired")); // "*" would skip an expired subkey
        _server.PublishOnVks(await ExportAsync(expiredFingerprint));

        // sq@example.org: the member revoked their key with sq; the HKP server has the revocation.
        await _cli.SucceedAsync("member", "add", "ag", "sq@example.org", "--key", RepoPaths.FixtureKey("sq-cv25519.pub.asc"));
        var revocation = await ProcessRunner.RunAsync("sq", ["revoke", "certificate", "--certificate", RepoPaths.FixtureKey("sq-cv25519.sec.asc"), "compromised", "phone seized"]);
        await GpgOkAsync("--import", RepoPaths.FixtureKey("sq-cv25519.pub.asc"));
        await File.WriteAllTextAsync(_work.Combine("sq.rev"), revocation.Stdout);
        await GpgOkAsync("--import", _work.Combine("sq.rev"));
        _server.PublishOnHkp(await ExportAsync(Fixture("sq-cv25519")));

        // twosub@example.org: its domain's WKD (advanced method) publishes a DIFFERENT key for the address.
        await _cli.SucceedAsync("member", "add", "ag", "twosub@example.org", "--key", RepoPaths.FixtureKey("twosub.pub.asc"));
        var impostor = TestKeyBuilder.Create("Two Subkeys Test <twosub@example.org>", DateTimeOffset.UtcNow).WithCv25519Subkey().Build();
        await _server.PublishOnWkdAsync("example.org", direct: false, impostor.GetEncoded());

        // lou@members.example.test: added a new encryption subkey, published in the WKD of a domain with the direct method only.
        var lou = await _gpg.GenerateAsync("Lou <lou@members.example.test>", "future-default", _work.Path, "lou"); // Ed25519 + Cv25519
        await _cli.SucceedAsync("member", "add", "ag", "lou@members.example.test", "--key", lou.PublicKey);
        var louFingerprint = FingerprintOf(await File.ReadAllBytesAsync(lou.PublicKey));
        await GpgOkAsync("--quick-add-key", louFingerprint, "cv25519", "encr", "1y");
        await _server.PublishOnWkdAsync("members.example.test", direct: true, await ExportAsync(louFingerprint));

        await using var proxy = await LoggingSocks5Proxy.StartAsync(_work.Combine("socks5.log"), $"*:443=127.0.0.1:{_server.Port}");
        await _cli.SucceedAsync("provider", "set", "ag", "--host", "smtp.example.test", "--port", "465", "--security", "tls", "--socks5", proxy.Address);
        _cli.Environment["SECUREMINUTES_VKS_URL"] = "https://keys.example.test";
        _cli.Environment["SECUREMINUTES_HKP_URL"] = "hkps://hkp.example.test";

        var refresh = await _cli.RunAsync("keys", "refresh", "ag", "--json");

        Assert.True(refresh.ExitCode == 4, refresh.ToString()); // a revoked key and a different key need the admins
        using var report = JsonDocument.Parse(refresh.Stdout);
        Assert.Equal($"through the SOCKS5 proxy {proxy.Address}", report.RootElement.GetProperty("route").GetString());
        var results = report.RootElement.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("email").GetString()!, m => m.GetProperty("result").GetString()!);
        Assert.Contains("usable again", results["expired@example.org"], StringComparison.Ordinal);
        Assert.Contains("revoked", results["sq@example.org"], StringComparison.Ordinal);
        Assert.Contains($"different key online, not adopted: {FingerprintOf(impostor.GetEncoded())}", results["twosub@example.org"], StringComparison.Ordinal);
        Assert.Contains("new encryption subkey", results["lou@members.example.test"], StringComparison.Ordinal);

        var members = await MembersAsync();
        Assert.Equal("usable", members["expired@example.org"].GetProperty("status").GetString());
        Assert.Equal("revoked", members["sq@example.org"].GetProperty("status").GetString());
        Assert.Equal(TestKeysTsv("twosub"), members["twosub@example.org"].GetProperty("fingerprint").GetString());

        // Every request went through the proxy: these names resolve nowhere but in its --map.
        var log = proxy.Log;
        foreach (var host in new[] { "keys.example.test:443", "hkp.example.test:443", "openpgpkey.example.org:443", "openpgpkey.members.example.test:443", "members.example.test:443" })
        {
            Assert.Contains($"CONNECT {host} -> 127.0.0.1:{_server.Port} ok", log, StringComparison.Ordinal);
        }

        Assert.Contains(_server.Requests, r => r.StartsWith("openpgpkey.example.org /.well-known/openpgpkey/example.org/hu/", StringComparison.Ordinal));
        Assert.Contains(_server.Requests, r => r.StartsWith("members.example.test /.well-known/openpgpkey/hu/", StringComparison.Ordinal));

        // The different key is reported to the audit log once, however often the refresh runs.
        await _cli.RunAsync("keys", "refresh", "ag");
        var audit = (await _cli.SucceedAsync("audit", "ag", "--json")).Stdout;
        using var entries = JsonDocument.Parse(audit);
        Assert.Single(entries.RootElement.EnumerateArray(), e => e.GetProperty("action").GetString() == "refresh-other-key-seen");
        Assert.Equal(3, entries.RootElement.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "refresh-merged"));
    }

    [Fact]
    public async Task KeysRefresh_WithoutAProxy_AsksTheConfiguredServersDirectly_AndSaysSo()
    {
        await _cli.SucceedAsync("member", "add", "ag", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"));
        _cli.Environment["SECUREMINUTES_VKS_URL"] = _server.BaseUrl;
        _cli.Environment["SECUREMINUTES_HKP_URL"] = "off";
        _cli.Environment["SECUREMINUTES_WKD_BASE"] = _server.BaseUrl;
        _server.PublishOnVks(await File.ReadAllBytesAsync(RepoPaths.FixtureKey("rsa3072.pub.asc")));

        var refresh = await _cli.SucceedAsync("keys", "refresh", "ag");

        Assert.True(refresh.Stdout.Contains("directly (this list has no SOCKS5 proxy", StringComparison.Ordinal), refresh.ToString());
        Assert.True(refresh.Stdout.Contains("rsa3072@example.org  unchanged", StringComparison.Ordinal), refresh.ToString());
        Assert.Contains(_server.Requests, r => r == $"127.0.0.1 /vks/v1/by-fingerprint/{TestKeysTsv("rsa3072")}");
        Assert.Contains(_server.Requests, r => r.StartsWith("127.0.0.1 /.well-known/openpgpkey/example.org/hu/", StringComparison.Ordinal));
    }

    private async Task<Dictionary<string, JsonElement>> MembersAsync()
    {
        var json = JsonDocument.Parse((await _cli.SucceedAsync("member", "list", "ag", "--json")).Stdout);
        return json.RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("email").GetString()!, m => m.Clone());
    }

    private static string Fixture(string name) => TestKeysTsv(name);

    private static string TestKeysTsv(string name) =>
        File.ReadLines(RepoPaths.FixtureKey("keys.tsv")).Select(l => l.Split('\t')).First(f => f[0] == name)[1];

    private static string SubkeyOf(string fixture) =>
        Fingerprint.Of(KeyFileReader.ReadFile(RepoPaths.FixtureKey(fixture + ".pub.asc")).Single().Certificate.GetPublicKeys().Single(k => !k.IsMasterKey)).Hex;

    private static string FingerprintOf(byte[] key) => Fingerprint.Of(KeyFileReader.Read(key, "key").Single().Certificate.GetPublicKey()).Hex;

    private Task<ProcessResult> ImportSecretAsync(string fixture) => GpgOkAsync("--import", RepoPaths.FixtureKey(fixture + ".sec.asc"));

    private async Task<byte[]> ExportAsync(string fingerprint) => Encoding.ASCII.GetBytes((await GpgOkAsync("--armor", "--export", fingerprint)).Stdout);

    private async Task<ProcessResult> GpgOkAsync(params string[] arguments)
    {
        var result = await _gpg.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"gpg {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
