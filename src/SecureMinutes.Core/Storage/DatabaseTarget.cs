using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using SecureMinutes.Jobs;

namespace SecureMinutes.Storage;

/// <summary>
/// Where an installation keeps its application data and its Hangfire jobs. Chosen once, from
/// <c>--db</c>/<c>SECUREMINUTES_DB</c> (<see cref="SecureMinutesOptions.Create"/>); every service asks this
/// object for its connections instead of deciding between SQLite and PostgreSQL again.
/// </summary>
public abstract record DatabaseTarget
{
    /// <summary>PostgreSQL when <paramref name="postgresUrl"/> is given, else the embedded SQLite files in <paramref name="dataDirectory"/>.</summary>
    public static DatabaseTarget Choose(string dataDirectory, string? postgresUrl) =>
        postgresUrl is null ? new SqliteTarget(dataDirectory) : new PostgresTarget(postgresUrl);

    /// <summary>The application database (schema migrated on first use).</summary>
    public abstract Database OpenDatabase();

    /// <summary>Hangfire's storage, tuned by <paramref name="jobs"/>. Owned by one service provider, never installed process-wide.</summary>
    public abstract JobStorage OpenJobStorage(JobOptions jobs);

    /// <summary>Where the data lives, in a few words for people ("SQLite in /var/lib/secureminutes").</summary>
    public abstract string Describe();
}

/// <summary>
/// The embedded default: <c>secureminutes.db</c> for the application and <c>jobs.db</c> for Hangfire, side by side
/// in the data dir. Hangfire's SQLite package ships its own SQLite binding, so the two never share a file.
/// </summary>
public sealed record SqliteTarget(string DataDirectory) : DatabaseTarget
{
    public string DatabasePath => Path.Combine(DataDirectory, "secureminutes.db");

    public string JobsDatabasePath => Path.Combine(DataDirectory, "jobs.db");

    public override Database OpenDatabase()
    {
        PrivateFiles.PrepareSqlite(DatabasePath);
        return Database.Sqlite(DatabasePath);
    }

    public override JobStorage OpenJobStorage(JobOptions jobs)
    {
        PrivateFiles.PrepareSqlite(JobsDatabasePath);
        return new SQLiteStorage(JobsDatabasePath, new SQLiteStorageOptions
        {
            QueuePollInterval = jobs.QueuePollInterval,
            InvisibilityTimeout = jobs.InvisibilityTimeout,
        });
    }

    public override string Describe() => $"SQLite in {DataDirectory}";
}

/// <summary>One PostgreSQL database shared by several machines: application tables, and Hangfire's in schema <c>hangfire</c>.</summary>
public sealed record PostgresTarget(string Url) : DatabaseTarget
{
    public override Database OpenDatabase() => Database.Postgres(Url);

    public override JobStorage OpenJobStorage(JobOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            QueuePollInterval = jobs.QueuePollInterval,
            InvisibilityTimeout = jobs.InvisibilityTimeout,
            // A running job keeps its fetch alive, so the timeout only applies to a worker that died.
            UseSlidingInvisibilityTimeout = true,
            PrepareSchemaIfNecessary = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(PostgresDialect.ConnectionString(Url), options), options);
    }

    public override string Describe() => "PostgreSQL";

    // The URL holds the database password: records print their members, this one must not.
    public override string ToString() => "PostgresTarget { Url = *** }";
}
