using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace SecureMinutes.Storage;

/// <summary>Embedded default: one file in the data dir, WAL so readers (status) never block the sender.</summary>
public sealed class SqliteDialect : SqlDialect
{
    public override string Name => "sqlite";

    public override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string BlobType => "BLOB";

    public override string MigrationLock => "";

    public override string Greatest => "max";

    /// <summary>
    /// VACUUM writes the database afresh, so no free page keeps a row's old bytes (secure_delete, set on every connection,
    /// zeroes only what is freed from now on); the WAL, which holds page images written before, is then checkpointed and
    /// truncated to nothing.
    /// </summary>
    public override string ForgetOverwritten => "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";

    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    public override string RelaxCommits(bool relaxed) => relaxed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL";

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    /// <summary>
    /// The native connections already configured. Microsoft.Data.Sqlite pools native connections and these settings
    /// stay on one for its life: set once, not on every open (they were five statements parsed per database call).
    /// </summary>
    private static readonly ConditionalWeakTable<object, object> Configured = new();

    public override void Configure(DbConnection connection)
    {
        if (((SqliteConnection)connection).Handle is not { } handle || !Configured.TryAdd(handle, Configured))
        {
            return;
        }

        using var command = connection.CreateCommand();
        // synchronous=FULL: a delivery recorded as accepted by the provider survives power loss too,
        // which is what keeps a restart from sending it again. secure_delete=ON: a deleted or overwritten row's bytes are
        // zeroed in the file, not left in free space for whoever copies the disk (issue 17).
        command.CommandText = FormattableString.Invariant(
            $"PRAGMA busy_timeout={(int)Database.BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
        command.ExecuteNonQuery();
    }

    /// <summary>A read-only view of the file that needs no WAL index, for when the disk is full (<see cref="Database.OpenAsync(CancellationToken)"/>).</summary>
    public static string ReadOnlyConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = new Uri(Path.GetFullPath(path)).AbsoluteUri + "?immutable=1",
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
    }.ToString();

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Microsoft.Data.Sqlite retries a busy statement for this long on top of busy_timeout: the same bound.
        DefaultTimeout = (int)Database.BusyTimeout.TotalSeconds,
    }.ToString();
}
