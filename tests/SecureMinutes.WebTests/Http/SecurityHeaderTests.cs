using System.Net;
using System.Text.RegularExpressions;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>What every answer carries, whoever asks: a strict CSP, no framing, no Referer, no caching, and nothing from another origin.</summary>
public sealed partial class SecurityHeaderTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    public async Task Responses_CarryStrictPolicyHeaders_OnEveryPath(string path)
    {
        using var client = app.Client();
        var response = await client.GetAsync(path);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_Answers200_WhenDatabaseAndVaultAreUsable()
    {
        using var client = app.Client();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_ReferenceNoOtherOrigin_AndCarryNoInlineScript()
    {
        await app.AccountAsync("headers-admin@example.test", installationAdmin: true);
        using var client = await app.SignedInAsync("headers-admin@example.test");
        foreach (var path in new[] { "/", "/account", "/login" })
        {
            var html = await client.GetPageAsync(path);
            foreach (Match reference in Reference().Matches(html))
            {
                var target = reference.Groups[2].Value;
                Assert.True(target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith('?'),
                    $"{path} refers to {target}");
            }

            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
            Assert.DoesNotContain(" style=\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Assets_AreServedByUs()
    {
        using var client = app.Client();
        foreach (var asset in new[] { "/assets/site.css", "/assets/app.js", "/assets/icon.svg" })
        {
            var response = await client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [GeneratedRegex("(src|href|action)=\"([^\"]*)\"")]
    private static partial Regex Reference();
}
