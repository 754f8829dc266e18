using System.Net;
using SecureMinutes.Web;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>ASP.NET Core's rate limiter on sign-in, with its own app so the count starts from zero.</summary>
public sealed class SignInRateLimitTests : IDisposable
{
    private readonly WebAppFactory _app = new(new WebSettings { SignInAttemptsPerMinute = 3 });

    [Fact]
    public async Task SignInAttempts_AreRefusedWith429_PastTheLimitPerMinute_ButThePageStillOpens()
    {
        using var client = _app.Client();
        for (var i = 0; i < 3; i++)
        {
            var attempt = await client.PostFormAsync("/login", new() { ["Email"] = $"guess{i}@example.test", ["Password"] = "guessing a password" });
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }

        var refused = await client.PostFormAsync("/login", new() { ["Email"] = "guess@example.test", ["Password"] = "guessing a password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("60", 60)]
    [InlineData(null, 10)]
    [InlineData("", 10)]
    [InlineData("0", 10)]
    [InlineData("-5", 10)]
    [InlineData("lots", 10)]
    public void ServesSignInLimit_ComesFromItsVariable_OrIsTheDefault(string? value, int perMinute) =>
        Assert.Equal(perMinute, WebSettings.SignInAttemptsFrom(value));
}
