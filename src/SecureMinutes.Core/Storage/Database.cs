using System.Data.Common;

namespace SecureMinutes.Storage;

/// <summary>The application database: opens configured connections and keeps the schema current.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private int _migrated;

    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>
    /// How long a command waits for a database another process holds locked (SQLite's busy timeout) before it
    /// gives up with one line (<see cref="EnvironmentFault"/>). Writes take milliseconds, so this only runs out
    /// when something holds the database for long: a stuck process, a backup, an sqlite3 shell in a transaction.
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    public Database(SqlDialect dialect, string connectionString)
    {
        Dialect = dialect;
        _connectionString = connectionString;
    }

    public SqlDialect Dialect { get; }

    public static Database Sqlite(string path) => new(new SqliteDialect(), SqliteDialect.ConnectionString(path));

    public static Database Postgres(string url) => new(new PostgresDialect(), PostgresDialect.ConnectionString(url));

    /// <summary>The connection string, for Hangfire's storage on the same PostgreSQL database.</summary>
    internal string ConnectionString => _connectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Dialect.Configure(connection);
        if (Interlocked.Exchange(ref _migrated, 1) == 0)
        {
            try
            {
                await Migrations.ApplyAsync(connection, Dialect, cancellationToken);
            }
            catch
            {
                _migrated = 0;
                throw;
            }
        }

        return connection;
    }
}
