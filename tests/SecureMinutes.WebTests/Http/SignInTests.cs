using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureMinutes.Accounts;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>Signing in: cookies, antiforgery, lockout, invitations, and what only installation admins may open.</summary>
public sealed class SignInTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Fact]
    public async Task SessionCookie_IsHttpOnlySameSiteStrictAndSecure_OverTls()
    {
        await app.AccountAsync("cookie@example.test");
        using var client = app.Client();
        var response = await client.PostFormAsync("/login", new() { ["Email"] = "cookie@example.test", ["Password"] = WebAppFactory.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sm-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", session, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", session, StringComparison.Ordinal);
        Assert.Contains("secure", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_IsRejected_WithoutAntiforgeryToken()
    {
        await app.AccountAsync("csrf@example.test");
        using var client = await app.SignedInAsync("csrf@example.test");
        var response = await client.PostFormAsync("/account?handler=Password", new() { ["NewPassword"] = "another long sentence here" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var login = await client.PostFormAsync("/logout", [], formPage: "/", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task Account_IsLockedOut_AfterFiveWrongPasswords_EvenWithTheRightOneNext()
    {
        await app.AccountAsync("lockout@example.test");
        using var client = app.Client();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostFormAsync("/login", new() { ["Email"] = "lockout@example.test", ["Password"] = $"wrong password number {i}" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await client.PostFormAsync("/login", new() { ["Email"] = "lockout@example.test", ["Password"] = WebAppFactory.Password });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("15 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_AndUnknownAddress_GetTheSameAnswer()
    {
        await app.AccountAsync("known@example.test");
        using var client = app.Client();
        var wrong = await (await client.PostFormAsync("/login", new() { ["Email"] = "known@example.test", ["Password"] = "not the password at all" })).Content.ReadAsStringAsync();
        var unknown = await (await client.PostFormAsync("/login", new() { ["Email"] = "nobody@example.test", ["Password"] = "not the password at all" })).Content.ReadAsStringAsync();
        Assert.Contains("Adresse ou mot de passe incorrect", wrong, StringComparison.Ordinal);
        Assert.Contains("Adresse ou mot de passe incorrect", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_IsRefused_ToEveryoneButInstallationAdmins()
    {
        await app.AccountAsync("jobs-admin@example.test", installationAdmin: true);
        await app.AccountAsync("jobs-user@example.test");
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/jobs")).StatusCode);
        using var user = await app.SignedInAsync("jobs-user@example.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/jobs")).StatusCode);
        using var admin = await app.SignedInAsync("jobs-admin@example.test");
        var dashboard = await admin.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("SecureMinutes", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_RedirectToSignIn_WhenNotSignedIn()
    {
        using var client = app.Client();
        var response = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_SetsAPasswordOnce_AndSignsIn()
    {
        Uri link;
        using (var scope = app.Services.CreateScope())
        {
            (_, link, _) = await scope.ServiceProvider.GetRequiredService<AccountAdministration>().InviteAsync("invited@example.test");
        }

        Assert.Equal("minutes.example.test", link.Host);
        using var client = app.Client();
        var weak = await client.PostFormAsync(link.AbsolutePath, new() { ["NewPassword"] = "motdepasse12", ["ConfirmPassword"] = "motdepasse12" });
        Assert.Contains("trop facile à deviner", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var set = await client.PostFormAsync(link.AbsolutePath, new() { ["NewPassword"] = "the assembly met at noon", ["ConfirmPassword"] = "the assembly met at noon" });
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account")).StatusCode);

        using var other = app.Client();
        Assert.Contains("ne fonctionne plus", await other.GetPageAsync(link.AbsolutePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieKeys_AreKeptInTheDataDir_SealedByTheVault()
    {
        using var client = app.Client();
        await client.GetPageAsync("/login");
        var files = Directory.GetFiles(Path.Combine(app.DataDirectory, "web-keys"), "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("sealedByVault", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ForwardedHeaders_AreIgnored_UnlessTheyComeFromATrustedProxy()
    {
        using var untrusting = new WebAppFactory();
        using var client = untrusting.Client();
        client.Http.BaseAddress = new Uri("http://localhost");
        await untrusting.AccountAsync("forwarded@example.test");
        var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "forwarded@example.test", ["Password"] = WebAppFactory.Password, ["__RequestVerificationToken"] = await client.TokenAsync("/login"),
            }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.Http.SendAsync(request);
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sm-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.DoesNotContain("secure", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_OverridesTheBrowserLanguage()
    {
        using var client = app.Client();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");
        Assert.Contains("<html lang=\"fr\">", await client.GetPageAsync("/login"), StringComparison.Ordinal);
        var switched = await client.PostFormAsync("/culture", new() { ["culture"] = "en", ["returnUrl"] = "/login" }, formPage: "/login");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var english = await client.GetPageAsync("/login");
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Sign in", english, StringComparison.Ordinal);
    }
}
