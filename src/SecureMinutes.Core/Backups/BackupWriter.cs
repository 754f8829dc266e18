using System.Formats.Tar;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Storage;

namespace SecureMinutes.Backups;

/// <summary>A written backup: where, how large (bytes), and what it holds.</summary>
public sealed record BackupResult(string Path, long Bytes, BackupManifest Manifest);

/// <summary>
/// <c>secureminutes backup --to FILE</c>: one OpenPGP message holding a tar archive of everything a data dir
/// needs to be restored elsewhere: the databases (SQLite through its online backup API, so a running
/// <c>serve</c> is not disturbed; PostgreSQL through pg_dump), the vault and its key file when it lives in the
/// data dir, and the web app's data-protection keys. <c>gpg --decrypt FILE | tar -x</c> opens it without us.
/// Staging copies are written inside the data dir (protected like the data itself) and deleted afterwards.
/// </summary>
public sealed class BackupWriter(SecureMinutesOptions options, TimeProvider time)
{
    /// <summary>
    /// Files and folders of the data dir a backup carries when they exist (the databases are added separately);
    /// web-keys holds the web app's sealed cookie keys (Web/WebApp.cs), so sign-ins survive a restore.
    /// </summary>
    internal static readonly string[] DataDirEntries = ["vault.json", "secureminutes.key", "web-keys"];

    /// <exception cref="UserFacingException"><paramref name="path"/> exists, a tool is missing, or a database cannot be read.</exception>
    public async Task<BackupResult> WriteAsync(string path, BackupProtection protection, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new UserFacingException($"{path} exists already: give a new file name (a backup never overwrites anything)");
        }

        if (!File.Exists(Path.Combine(options.DataDirectory, "vault.json")))
        {
            throw new UserFacingException($"{options.DataDirectory} holds no SecureMinutes data yet: nothing to back up");
        }

        var staging = Directory.CreateDirectory(Path.Combine(options.DataDirectory, $".backup-{Guid.NewGuid():N}"));
        try
        {
            var entries = await StageDatabaseAsync(staging.FullName, cancellationToken);
            foreach (var name in DataDirEntries)
            {
                var source = Path.Combine(options.DataDirectory, name);
                if (File.Exists(source))
                {
                    entries.Add((name, source));
                }
                else if (Directory.Exists(source))
                {
                    entries.AddRange(Directory.GetFiles(source).Order(StringComparer.Ordinal)
                        .Select(file => ($"{name}/{Path.GetFileName(file)}", file)));
                }
            }

            var manifest = new BackupManifest(BackupManifest.CurrentFormat, options.Database is PostgresTarget ? "postgresql" : "sqlite",
                time.GetUtcNow(), ProgramVersion(), entries.Select(e => e.Name).ToList());
            await WriteEncryptedAsync(path, protection, manifest, entries, cancellationToken);
            return new BackupResult(path, new FileInfo(path).Length, manifest);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            staging.Delete(recursive: true);
        }
    }

    private async Task<List<(string Name, string Source)>> StageDatabaseAsync(string staging, CancellationToken cancellationToken)
    {
        switch (options.Database)
        {
            case SqliteTarget sqlite:
                var application = Path.Combine(staging, "secureminutes.db");
                var jobs = Path.Combine(staging, "jobs.db");
                OnlineCopy(sqlite.DatabasePath, application);
                var entries = new List<(string, string)> { ("secureminutes.db", application) };
                if (File.Exists(sqlite.JobsDatabasePath))
                {
                    OnlineCopy(sqlite.JobsDatabasePath, jobs);
                    entries.Add(("jobs.db", jobs));
                }

                return entries;
            case PostgresTarget postgres:
                var dump = Path.Combine(staging, "database.pgdump");
                await PostgresTools.DumpAsync(postgres.Url, dump, cancellationToken);
                return [("database.pgdump", dump)];
            default:
                throw new InvalidOperationException("unknown database target");
        }
    }

    /// <summary>SQLite's online backup API: a consistent copy while other connections read and write.</summary>
    private static void OnlineCopy(string source, string target)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to);
    }

    private static async Task WriteEncryptedAsync(string path, BackupProtection protection, BackupManifest manifest,
        IReadOnlyList<(string Name, string Source)> entries, CancellationToken cancellationToken)
    {
        var partial = path + ".part";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var file = new FileStream(partial, fileOptions))
            {
                var encryption = BackupProtection.Generator();
                protection.AddTo(encryption);
                await using (var encrypted = encryption.Open(file, new byte[1 << 16]))
                {
                    var compression = new PgpCompressedDataGenerator(CompressionAlgorithmTag.ZLib);
                    await using (var compressed = compression.Open(encrypted))
                    {
                        var literal = new PgpLiteralDataGenerator();
                        await using (var plain = literal.Open(compressed, PgpLiteralData.Binary, "secureminutes-backup.tar", DateTime.UtcNow, new byte[1 << 16]))
                        {
                            await WriteTarAsync(plain, manifest, entries, cancellationToken);
                        }
                    }
                }
            }

            File.Move(partial, path);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static async Task WriteTarAsync(Stream output, BackupManifest manifest, IReadOnlyList<(string Name, string Source)> entries,
        CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var manifestEntry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName) { DataStream = new MemoryStream(manifest.Serialize()), Mode = (UnixFileMode)0b110_000_000 };
        await tar.WriteEntryAsync(manifestEntry, cancellationToken);
        foreach (var (name, source) in entries)
        {
            await using var content = File.OpenRead(source);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content, Mode = (UnixFileMode)0b110_000_000 };
            await tar.WriteEntryAsync(entry, cancellationToken);
        }
    }

    internal static string ProgramVersion() =>
        typeof(BackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
