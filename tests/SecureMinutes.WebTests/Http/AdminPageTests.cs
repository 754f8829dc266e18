using System.Net;
using SecureMinutes.Accounts;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>Members, keys and settings: shown before anything is stored, judged by the same checks as the CLI, and admins' only.</summary>
public sealed class AdminPageTests(AdminPageTests.Fixture fixture) : IClassFixture<AdminPageTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public WebAppFactory App { get; } = new();

        public async Task InitializeAsync()
        {
            await App.ListAsync("gamma");
            await App.AccountAsync("admin-gamma@example.test", list: "gamma", role: ListRole.Admin);
            await App.AccountAsync("notes-gamma@example.test", list: "gamma", role: ListRole.NoteTaker);
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private WebAppFactory App => fixture.App;

    [Fact]
    public async Task PastedKey_IsShownInFullBeforeConfirming_ThenStoredVerified()
    {
        using var client = await App.SignedInAsync("admin-gamma@example.test");
        var key = await File.ReadAllTextAsync(RepoPaths.FixtureKey("ed25519.pub.asc"));
        var inspected = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/members?handler=Inspect",
            new() { ["Email"] = "ed25519@example.org", ["KeyText"] = key }, formPage: "/lists/gamma/members")).Content.ReadAsStringAsync());
        Assert.Contains("8671 6760 B680 67FC C837 EEC3 EE89 DCF4 DBCF B9A4", inspected, StringComparison.Ordinal);
        Assert.Contains("Ed25519 Test <ed25519@example.org>", inspected, StringComparison.Ordinal);
        Assert.Contains("used for encryption", inspected, StringComparison.Ordinal);
        Assert.DoesNotContain("ed25519@example.org</td>", inspected, StringComparison.Ordinal);

        var data = System.Text.RegularExpressions.Regex.Match(inspected, "name=\"KeyData\" value=\"([^\"]+)\"").Groups[1].Value;
        var added = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/members?handler=Add", new()
        {
            ["Email"] = "ed25519@example.org", ["KeyData"] = data, ["KeyName"] = "pasted", ["ExpectedFingerprint"] = "86716760B68067FCC837EEC3EE89DCF4DBCFB9A4",
        }, formPage: "/lists/gamma/members")).Content.ReadAsStringAsync());
        Assert.Contains("ed25519@example.org : Added", added, StringComparison.Ordinal);
        Assert.Contains("ed25519@example.org</td>", added, StringComparison.Ordinal);
        Assert.Contains("member-added", await client.GetPageAsync("/lists/gamma/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableKey_IsRefusedWithItsReason_AndNothingIsStored()
    {
        using var client = await App.SignedInAsync("admin-gamma@example.test");
        var key = await File.ReadAllTextAsync(RepoPaths.FixtureKey("expired-subkey.pub.asc"));
        var inspected = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/members?handler=Inspect",
            new() { ["Email"] = "expired-subkey@example.org", ["KeyText"] = key }, formPage: "/lists/gamma/members")).Content.ReadAsStringAsync());
        Assert.Contains("Refusée, rien n'a été enregistré", inspected, StringComparison.Ordinal);
        Assert.Contains("not used:", inspected, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Add", inspected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FingerprintReadOut_VerifiesTheMember_OnlyWhenItMatches()
    {
        using var client = await App.SignedInAsync("admin-gamma@example.test");
        var wrong = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/members?handler=Verify",
            new() { ["Email"] = "sacha@members.example.test", ["ExpectedFingerprint"] = "407A231E4B858BAD002BCAF50AFA0412F354730D" }, formPage: "/lists/gamma/members")).Content.ReadAsStringAsync());
        Assert.Contains("is not the key pinned for sacha@members.example.test", wrong, StringComparison.Ordinal);
        var right = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/members?handler=Verify",
            new() { ["Email"] = "sacha@members.example.test", ["ExpectedFingerprint"] = "49CF E4C7 F39F 5922 1D64  A02B A6A2 3CF5 1187 C6DC" }, formPage: "/lists/gamma/members")).Content.ReadAsStringAsync());
        Assert.Contains("sacha@members.example.test : clé vérifiée", right, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPages_AreNotFound_ForNoteTakersOfTheSameList()
    {
        using var client = await App.SignedInAsync("notes-gamma@example.test");
        foreach (var page in new[] { "/lists/gamma/members", "/lists/gamma/settings", "/lists/gamma/audit", "/lists/gamma/settings?handler=Key" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(page)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lists/gamma/send")).StatusCode);
    }

    [Fact]
    public async Task Settings_TestTheConnectionStepByStep_SaveLimits_AndHandOutTheListKey()
    {
        using var client = await App.SignedInAsync("admin-gamma@example.test");
        var checks = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/settings?handler=Doctor", [], formPage: "/lists/gamma/settings")).Content.ReadAsStringAsync());
        Assert.Contains("outbox", checks, StringComparison.Ordinal);
        Assert.Contains("members", checks, StringComparison.Ordinal);

        var saved = WebUtility.HtmlDecode(await (await client.PostFormAsync("/lists/gamma/settings?handler=Sending",
            new() { ["Rate"] = "30", ["DailyCap"] = "400", ["RedistributeLast"] = "2", ["Digest"] = "weekly", ["Language"] = "en" }, formPage: "/lists/gamma/settings")).Content.ReadAsStringAsync());
        Assert.Contains("Réglages enregistrés", saved, StringComparison.Ordinal);
        Assert.Contains("value=\"400\"", saved, StringComparison.Ordinal);
        Assert.Contains("<option value=\"en\" selected=\"selected\">", saved, StringComparison.Ordinal);

        var key = await client.GetAsync("/lists/gamma/settings?handler=Key");
        Assert.Equal("application/pgp-keys", key.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", await key.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
