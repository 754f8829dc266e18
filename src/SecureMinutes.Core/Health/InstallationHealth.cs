using Dapper;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Health;

/// <summary>One check of <see cref="InstallationHealth"/>: its name, whether it passed, and why not.</summary>
public sealed record HealthCheck(string Name, bool Ok, string Detail);

/// <summary>
/// Whether this installation can work: its database answers (the schema migrated) and its vault opens (the
/// key file or passphrase is there). What <c>secureminutes health</c> (exit 0/1, for scripts and monitors)
/// and <c>GET /healthz</c> report. Says nothing about lists or members: a health endpoint is public.
/// </summary>
public sealed class InstallationHealth(Database database, Vault vault)
{
    public async Task<IReadOnlyList<HealthCheck>> CheckAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<HealthCheck>();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            checks.Add(new HealthCheck("database", true, "answers"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks.Add(new HealthCheck("database", false, OneLine(ex.Message)));
        }

        try
        {
            if (vault.Exists)
            {
                _ = vault.Box;
            }

            // A new installation has no vault until its first list: that is healthy, and this check must not create one.
            checks.Add(new HealthCheck("vault", true, vault.Exists ? $"opens ({vault.Describe()})" : "not created yet (the first list creates it)"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks.Add(new HealthCheck("vault", false, OneLine(ex.Message)));
        }

        return checks;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
