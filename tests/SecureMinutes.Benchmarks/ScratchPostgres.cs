using System.Diagnostics;
using Npgsql;
using SecureMinutes.Storage;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// A fresh, empty database on the shared throw-away PostgreSQL (<c>../shared/tools/postgres/pg.sh</c>, started when
/// down, as the integration tests' <c>PostgresServer</c> does; never stopped here: other test runs may use it), dropped
/// again on dispose. One per measured size, so one size's tables, Hangfire jobs and caches never weigh on the next.
/// </summary>
internal sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly string _serverConnection;

    private ScratchPostgres(string serverUrl, string name)
    {
        _serverConnection = PostgresDialect.ConnectionString(serverUrl);
        Name = name;
        Url = serverUrl[..(serverUrl.LastIndexOf('/') + 1)] + name;
    }

    /// <summary>The database's name (<c>smbench_…</c>).</summary>
    public string Name { get; }

    /// <summary>Its postgres:// URL, for <c>SECUREMINUTES_DB</c>.</summary>
    public string Url { get; }

    /// <summary>Runs <c>pg.sh start</c> (idempotent) and creates an empty database.</summary>
    public static async Task<ScratchPostgres> CreateAsync(string sharedTools)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(sharedTools, "postgres", "pg.sh"));
        start.ArgumentList.Add("start");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg.sh start failed ({process.ExitCode}; is Debian's postgresql installed?): {await stderr}");
        }

        var url = (await stdout).Split('\n').Single(l => l.StartsWith("PG_URL=", StringComparison.Ordinal))["PG_URL=".Length..].Trim();
        var scratch = new ScratchPostgres(url, "smbench_" + Guid.NewGuid().ToString("N")[..12]);
        await scratch.ExecuteAsync($"CREATE DATABASE {scratch.Name}");
        return scratch;
    }

    /// <summary>
    /// Server processes (backends) connected to this database now: the program's connections, Hangfire's included.
    /// PostgreSQL's shared background processes (checkpointer, WAL writer) are not among them.
    /// </summary>
    public async Task<IReadOnlyList<int>> BackendsAsync()
    {
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Name);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    /// <summary>How many Hangfire servers (<c>serve</c>/<c>worker</c>/<c>submit --wait</c>'s own) are registered in this database; 0 before Hangfire made its schema.</summary>
    public async Task<int> JobServersAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresDialect.ConnectionString(Url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.server", connection);
        try
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return 0;
        }
    }

    /// <summary>
    /// PostgreSQL's cumulative counters for this database (<c>pg_stat_database</c>): transactions committed, rows inserted,
    /// updated and deleted. Backends report them when a transaction ends (at most once a second) and when they exit, so read
    /// them after the program's processes have exited.
    /// </summary>
    public async Task<DatabaseActivity> ActivityAsync()
    {
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Name);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
            : new DatabaseActivity(0, 0, 0, 0);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the database, closing whatever connection is still open on it (PostgreSQL 13+: <c>WITH (FORCE)</c>).</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}

/// <summary>A reading of <see cref="ScratchPostgres.ActivityAsync"/>; subtract two for an interval.</summary>
internal sealed record DatabaseActivity(long Commits, long Inserted, long Updated, long Deleted)
{
    public static DatabaseActivity operator -(DatabaseActivity after, DatabaseActivity before) =>
        new(after.Commits - before.Commits, after.Inserted - before.Inserted, after.Updated - before.Updated, after.Deleted - before.Deleted);
}
