using SecureMinutes.Health;

namespace SecureMinutes.Web;

/// <summary>
/// <c>GET /healthz</c>: 200 "ok" when <see cref="InstallationHealth"/> passes (the database answers and the vault
/// opens, so minutes can be sealed and list keys used), 503 "unavailable" otherwise — the same checks as
/// <c>secureminutes health</c>. It says nothing else: no version, no list, no reason (those go to the log).
/// </summary>
public static partial class HealthEndpoint
{
    public static void MapHealthCheck(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/healthz", async (InstallationHealth health, ILoggerFactory logs, CancellationToken cancellationToken) =>
        {
            var failed = (await health.CheckAsync(cancellationToken)).Where(check => !check.Ok).ToList();
            if (failed.Count == 0)
            {
                return Results.Text("ok");
            }

            var logger = logs.CreateLogger("SecureMinutes.Health");
            foreach (var check in failed)
            {
                Failed(logger, check.Name, check.Detail);
            }

            return Results.Text("unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();

    [LoggerMessage(Level = LogLevel.Error, Message = "health check failed: {Check}: {Reason}")]
    private static partial void Failed(ILogger logger, string check, string reason);
}
