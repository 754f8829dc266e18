using Dapper;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Web;

/// <summary>
/// <c>GET /healthz</c>: 200 "ok" when the database answers and the vault opens (so minutes can be sealed and
/// list keys used), 503 otherwise. It says nothing else: no version, no list, no reason (those are in the log).
/// </summary>
public static partial class HealthCheck
{
    public static void MapHealthCheck(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/healthz", async (Database database, Vault vault, ILoggerFactory logs, CancellationToken cancellationToken) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<long>("SELECT 1");
                _ = vault.Box;
                return Results.Text("ok");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(logs.CreateLogger("SecureMinutes.Health"), ex.GetType().Name, ex.Message);
                return Results.Text("unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous();

    [LoggerMessage(Level = LogLevel.Error, Message = "health check failed: {Kind}: {Reason}")]
    private static partial void Failed(ILogger logger, string kind, string reason);
}
