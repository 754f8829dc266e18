using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SecureMinutes.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the sign-in pages: each client address may POST a few attempts a minute
/// (password, TOTP code, passkey), on top of Identity's per-account lockout; reading the page is not counted.
/// Behind a trusted proxy the address is the forwarded client's (<see cref="WebSettings.TrustedProxies"/>).
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, int perMinute) => services.AddRateLimiter(options =>
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, cancellationToken) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address: wait a minute. / Trop de tentatives de connexion depuis cette adresse : attendez une minute.", cancellationToken);
        };
        options.AddPolicy(Policy, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? RateLimitPartition.GetNoLimiter("read")
            : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    });
}
