using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SecureMinutes.Web.Security;

/// <summary>
/// The per-client limit on the join pages' POSTs (ASP.NET Core's rate limiter, beside the sign-in policy); the limits per
/// address and per invite are counted in the database by <see cref="Joining.JoinRequests"/>. Reading a page is not counted.
/// </summary>
public static class JoinRateLimit
{
    public const string Policy = "join";

    public static IServiceCollection AddJoinRateLimit(this IServiceCollection services, int perMinute) =>
        services.Configure<RateLimiterOptions>(options => options.AddPolicy(Policy, new ClientPolicy(perMinute)));

    private sealed class ClientPolicy(int perMinute) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync("Too many requests from this address: wait a minute. / Trop de demandes depuis cette adresse : attendez une minute.", cancellationToken);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
            HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
    }
}
