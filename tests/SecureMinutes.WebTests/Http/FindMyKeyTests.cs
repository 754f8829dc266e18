using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Joining;
using SecureMinutes.Lists;
using SecureMinutes.Web;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>
/// "Find my key" on the join page, against a real HTTPS key server (Web Key Directories written by Sequoia, and the
/// keys.openpgp.org API): the member's own domain is asked; the keyserver only when the member ticks it; what is found
/// goes back into the form, shown with its fingerprint, and is then sent and judged like a pasted key.
/// </summary>
public sealed class FindMyKeyTests(FindMyKeyTests.Fixture fixture) : IClassFixture<FindMyKeyTests.Fixture>
{
    private const string Sacha = "sacha@members.example.test";
    private const string SachaFingerprint = "49CF E4C7 F39F 5922 1D64 A02B A6A2 3CF5 1187 C6DC";
    private const string OnKeyserverOnly = "ed25519@example.org";

    // The tests share one server: each judges only the requests made after it started.
    public sealed class Fixture : IAsyncLifetime
    {
        public KeyServer Server { get; private set; } = null!;

        public WebAppFactory App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await KeyServer.StartAsync();
            // Sacha's domain publishes the key in its WKD (advanced method); ed25519@example.org's key is only on the keyserver.
            await Server.PublishOnWkdAsync("members.example.test", direct: false, await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")));
            Server.PublishOnVks(await File.ReadAllBytesAsync(RepoPaths.FixtureKey("ed25519.pub.asc")), OnKeyserverOnly);
            App = new WebAppFactory(new WebSettings { SignInAttemptsPerMinute = 10_000 }, new Dictionary<string, string>
            {
                ["SECUREMINUTES_WKD_BASE"] = Server.BaseUrl,
                ["SECUREMINUTES_VKS_URL"] = Server.BaseUrl,
                ["SECUREMINUTES_KEYSERVER_TRUST_CERT"] = Server.CertificatePath,
            });
            await App.Services.GetRequiredService<ListService>().CreateAsync("find", "find@lists.example.test", "List find");
        }

        public async Task DisposeAsync()
        {
            App.Dispose();
            await Server.DisposeAsync();
        }
    }

    [Fact]
    public async Task FindMyKey_AsksTheMembersOwnDomainOnly_AndPutsTheKeyFoundInTheForm_ThenItIsSentLikeAPastedKey()
    {
        using var client = fixture.App.Client();
        var join = await InviteAsync();
        var before = fixture.Server.Requests.Count;
        var found = await PostAsync(client, $"{join}?handler=Find", join, new() { ["Email"] = Sacha });

        Assert.Contains("Key found (WKD advanced", found, StringComparison.Ordinal);
        Assert.Contains(SachaFingerprint, found, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", found, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.Requests.Skip(before), r => r.Contains("/vks/", StringComparison.Ordinal));

        var key = found[found.IndexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal)..];
        key = key[..(key.IndexOf("-----END PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal) + "-----END PGP PUBLIC KEY BLOCK-----".Length)];
        var sent = await PostAsync(client, join, join, new() { ["Email"] = Sacha, ["KeyText"] = key });
        Assert.Contains("Done. If sacha@members.example.test can join this list", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeyserver_IsAskedByAddress_OnlyWhenTheMemberTicksIt()
    {
        using var client = fixture.App.Client();
        var join = await InviteAsync();
        var before = fixture.Server.Requests.Count;

        var notAsked = await PostAsync(client, $"{join}?handler=Find", join, new() { ["Email"] = OnKeyserverOnly });
        Assert.Contains("No key is published for this address", notAsked, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Server.Requests.Skip(before), r => r.Contains("/vks/v1/by-email/", StringComparison.Ordinal));

        var asked = await PostAsync(client, $"{join}?handler=Find", join, new() { ["Email"] = OnKeyserverOnly, ["AskKeyserver"] = "true" });
        Assert.Contains("Key found (VKS", asked, StringComparison.Ordinal);
        Assert.Contains(fixture.Server.Requests, r => r.Contains("/vks/v1/by-email/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadAddress_GetsOneLine_AndNothingIsAsked()
    {
        using var client = fixture.App.Client();
        var join = await InviteAsync();
        var before = fixture.Server.Requests.Count;
        var answer = await PostAsync(client, $"{join}?handler=Find", join, new() { ["Email"] = "not an address" });
        Assert.Contains("address", answer, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Server.Requests.Count);
    }

    private async Task<string> InviteAsync()
    {
        var created = await fixture.App.Services.GetRequiredService<JoinInvites>().CreateAsync("find", TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        return created.Link.AbsolutePath;
    }

    private static async Task<string> PostAsync(FormClient client, string path, string formPage, Dictionary<string, string> fields)
    {
        client.Http.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var response = await client.PostFormAsync(path, fields, formPage);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
