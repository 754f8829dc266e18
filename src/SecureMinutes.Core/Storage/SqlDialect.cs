using System.Data.Common;

namespace SecureMinutes.Storage;

/// <summary>
/// What differs between the databases SecureMinutes runs on. Queries are written once in the SQL both
/// SQLite and PostgreSQL accept (<c>ON CONFLICT</c>, <c>RETURNING</c>, times as Unix milliseconds); only
/// connections and a few DDL words differ.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>Column type of an auto-numbered primary key.</summary>
    public abstract string IdentityColumn { get; }

    public abstract string BlobType { get; }

    /// <summary>The scalar "larger of two values" function: <c>max(a, b)</c> in SQLite, <c>GREATEST(a, b)</c> in PostgreSQL.</summary>
    public abstract string Greatest { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Session settings applied to every new connection.</summary>
    public virtual void Configure(DbConnection connection)
    {
    }

    /// <summary>
    /// "column is one of the list in parameter": Dapper expands <c>IN @list</c> for SQLite, while Npgsql
    /// passes arrays natively, which PostgreSQL matches with <c>= ANY(@list)</c>.
    /// </summary>
    public abstract string InList(string column, string parameter);

    /// <summary>
    /// Run after a migration rewrote rows in place (sealing them): makes the database files stop holding the old values
    /// where the engine allows it from a connection. Empty when it cannot (PostgreSQL keeps dead row versions in its own
    /// files until VACUUM reuses them; README says to run VACUUM FULL after the upgrade).
    /// </summary>
    public virtual string ForgetOverwritten => "";

    /// <summary>
    /// Makes this connection's next commits return without waiting for the disk (<c>true</c>), or wait again
    /// (<c>false</c>, every connection's default). A relaxed commit survives the process dying at once (SQLite in WAL
    /// mode has written it to the file, PostgreSQL's server holds it) but not the machine losing power before the
    /// next durable commit; a durable commit makes every earlier relaxed one durable too, since both engines flush
    /// their write-ahead log in order (SQLite: synchronous=NORMAL in WAL mode; PostgreSQL: synchronous_commit).
    /// </summary>
    public abstract string RelaxCommits(bool relaxed);

    /// <summary>Serialises schema migrations between processes that start at the same time.</summary>
    public abstract string MigrationLock { get; }

    /// <summary>Turns the DDL template (with <c>{id}</c> and <c>{blob}</c>) into this dialect.</summary>
    public string Ddl(string template) => template.Replace("{id}", IdentityColumn, StringComparison.Ordinal)
        .Replace("{blob}", BlobType, StringComparison.Ordinal);
}
