using System.Data.Common;

namespace SecureMinutes.Storage;

/// <summary>The application database: opens configured connections and keeps the schema current.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly string? _readOnlyConnectionString;
    private readonly string? _directory;
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

    private Database(string path)
        : this(new SqliteDialect(), SqliteDialect.ConnectionString(path))
    {
        _readOnlyConnectionString = SqliteDialect.ReadOnlyConnectionString(path);
        _directory = Path.GetDirectoryName(Path.GetFullPath(path));
    }

    public SqlDialect Dialect { get; }

    /// <summary>What the migrations that seal data use (<see cref="Migrations"/>' data steps); set once by the composition.</summary>
    private Secrets.DirectorySealing? _sealing;

    /// <summary>Gives the migrations the vault's sealing (the composition does, before any connection is opened); returns this database.</summary>
    public Database UseSealing(Secrets.DirectorySealing sealing)
    {
        _sealing = sealing;
        return this;
    }

    public static Database Sqlite(string path) => new(path);

    public static Database Postgres(string url) => new(new PostgresDialect(), PostgresDialect.ConnectionString(url));

    /// <summary>The connection string, for Hangfire's storage on the same PostgreSQL database.</summary>
    internal string ConnectionString => _connectionString;

    /// <summary>
    /// An open connection, schema migrated. On a full disk SQLite cannot create its WAL index (<c>-shm</c>)
    /// to open the file normally; reads then go on over a read-only view of the database file (SQLite's
    /// <c>immutable</c> mode: a cleanly closed WAL database holds everything in the main file), so
    /// <c>status</c>, <c>member list</c> and the like still answer, and any write on it fails and is
    /// reported as the full disk (<see cref="EnvironmentFault"/>).
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await OpenAsync(_connectionString, readOnly: false, cancellationToken);
        }
        catch (Exception ex) when (_readOnlyConnectionString is not null && EnvironmentFault.IsDiskFull(ex, _directory!))
        {
            return await OpenAsync(_readOnlyConnectionString, readOnly: true, cancellationToken);
        }
    }

    private async Task<DbConnection> OpenAsync(string connectionString, bool readOnly, CancellationToken cancellationToken)
    {
        var connection = Dialect.CreateConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (readOnly)
        {
            return connection; // a full disk: the schema was current when it filled, and nothing can be migrated now
        }

        Dialect.Configure(connection);
        if (Interlocked.Exchange(ref _migrated, 1) == 0)
        {
            try
            {
                await Migrations.ApplyAsync(connection, Dialect, _sealing, cancellationToken);
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
