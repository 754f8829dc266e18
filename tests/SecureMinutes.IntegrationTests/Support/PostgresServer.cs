using Npgsql;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>The shared throw-away PostgreSQL (<c>../shared/tools/postgres/pg.sh</c>), with a fresh database per test.</summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _url;

    /// <summary>Starts the server if needed and creates an empty database; returns its postgres:// URL.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_url is null)
            {
                var result = await ProcessRunner.RunAsync("bash", ["-c", $"\"{Path.Combine(RepoPaths.Tools, "postgres", "pg.sh")}\" start"], timeout: TimeSpan.FromMinutes(2));
                Assert.True(result.ExitCode == 0, "pg.sh start failed (is Debian's postgresql installed?)\n" + result);
                _url = result.Stdout.Split('\n').Single(l => l.StartsWith("PG_URL=", StringComparison.Ordinal))["PG_URL=".Length..].Trim();
            }
        }
        finally
        {
            Gate.Release();
        }

        var name = "sm_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(SecureMinutes.Storage.PostgresDialect.ConnectionString(_url)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return _url[..(_url.LastIndexOf('/') + 1)] + name;
    }

    /// <summary>pg_dump of a database: what a person who seized the database server would read.</summary>
    public static async Task<string> DumpAsync(string url)
    {
        var result = await ProcessRunner.RunAsync("pg_dump", ["--dbname", url, "--no-owner"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }
}
