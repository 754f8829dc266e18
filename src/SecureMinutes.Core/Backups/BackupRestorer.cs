using System.Formats.Tar;
using Microsoft.Data.Sqlite;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Storage;

namespace SecureMinutes.Backups;

/// <summary>
/// <c>secureminutes restore FILE</c>: decrypts a backup (<see cref="BackupWriter"/>), checks its integrity
/// (OpenPGP's modification detection, over the whole archive) before anything is put in place, and restores it
/// into an empty data dir (and, for PostgreSQL, an empty database). The schema then migrates forward at the
/// first use, as on any start. Queued copies and scheduled jobs come back with the databases.
/// </summary>
public sealed class BackupRestorer(SecureMinutesOptions options)
{
    /// <summary>Files whose presence means a data dir is in use: a restore never replaces them.</summary>
    private static readonly string[] DataFiles = ["vault.json", "secureminutes.db", "jobs.db"];

    /// <exception cref="UserFacingException">The target is not empty, the key does not open the backup, or the backup is damaged.</exception>
    public async Task<BackupManifest> RestoreAsync(string backupPath, BackupKey key, CancellationToken cancellationToken)
    {
        await using var data = Open(backupPath);
        await CheckTargetIsEmptyAsync(cancellationToken);
        options.EnsureDataDirectory();
        var staging = Directory.CreateDirectory(Path.Combine(options.DataDirectory, $".restore-{Guid.NewGuid():N}"));
        try
        {
            BackupManifest manifest;
            try
            {
                manifest = await UnpackAsync(data, key, staging.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or PgpException or InvalidDataException or FormatException)
            {
                // BouncyCastle and the archive reader meet a damaged file before the integrity check can say so.
                throw new UserFacingException("the backup is damaged or was altered (it cannot be decrypted and read whole); nothing was restored", ex);
            }

            await PlaceAsync(manifest, staging.FullName, cancellationToken);
            return manifest;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            staging.Delete(recursive: true);
        }
    }

    private async Task CheckTargetIsEmptyAsync(CancellationToken cancellationToken)
    {
        var taken = DataFiles.Where(name => File.Exists(Path.Combine(options.DataDirectory, name))).ToList();
        if (taken.Count > 0)
        {
            throw new UserFacingException($"{options.DataDirectory} already holds SecureMinutes data ({string.Join(", ", taken)}): restore into an empty data dir (--data-dir DIR)");
        }

        if (options.Database is PostgresTarget postgres && !await PostgresTools.IsEmptyAsync(postgres.Url, cancellationToken))
        {
            throw new UserFacingException("the PostgreSQL database (--db) is not empty: restore into a new, empty database");
        }
    }

    /// <summary>Decrypts, checks and extracts the archive into <paramref name="staging"/>; nothing is placed until the integrity check passed.</summary>
    private static async Task<BackupManifest> UnpackAsync(Stream data, BackupKey key, string staging, CancellationToken cancellationToken)
    {
        var (encrypted, stream) = Decrypt(data, key);
        var factory = new PgpObjectFactory(stream);
        var next = factory.NextPgpObject();
        if (next is PgpCompressedData compressed)
        {
            next = new PgpObjectFactory(compressed.GetDataStream()).NextPgpObject();
        }

        if (next is not PgpLiteralData literal)
        {
            throw new UserFacingException("the backup holds no archive: this is not a SecureMinutes backup");
        }

        BackupManifest? manifest = null;
        await using (var tar = new TarReader(literal.GetInputStream()))
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType != TarEntryType.RegularFile || entry.DataStream is null)
                {
                    continue;
                }

                var target = SafePath(staging, entry.Name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using (var file = File.Create(target))
                {
                    await entry.DataStream.CopyToAsync(file, cancellationToken);
                }

                if (entry.Name == BackupManifest.EntryName)
                {
                    manifest = BackupManifest.Deserialize(await File.ReadAllBytesAsync(target, cancellationToken));
                }
            }
        }

        if (!encrypted.IsIntegrityProtected() || !encrypted.Verify())
        {
            throw new UserFacingException("the backup fails its integrity check: it was damaged or altered; nothing was restored");
        }

        return manifest ?? throw new UserFacingException("the backup has no manifest: this is not a SecureMinutes backup");
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw new UserFacingException($"{path}: no such file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UserFacingException($"{path} cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }

    private static (PgpEncryptedData Encrypted, Stream Clear) Decrypt(Stream data, BackupKey key)
    {
        PgpEncryptedDataList list;
        try
        {
            var factory = new PgpObjectFactory(PgpUtilities.GetDecoderStream(data));
            var first = factory.NextPgpObject();
            list = first as PgpEncryptedDataList ?? factory.NextPgpObject() as PgpEncryptedDataList
                ?? throw new UserFacingException("this file is not an encrypted OpenPGP message, so not a SecureMinutes backup");
        }
        catch (IOException)
        {
            throw new UserFacingException("this file is not an OpenPGP message, so not a SecureMinutes backup");
        }

        switch (key)
        {
            case BackupKey.Passphrase passphrase:
                foreach (var sealedWith in list.GetEncryptedDataObjects().OfType<PgpPbeEncryptedData>())
                {
                    try
                    {
                        return (sealedWith, sealedWith.GetDataStream(passphrase.Value.ToCharArray()));
                    }
                    catch (PgpException)
                    {
                        // A wrong passphrase gives a session key that fails its check: try the next method.
                    }
                }

                throw new UserFacingException("the passphrase does not open this backup (or it was encrypted to a key: use --secret-key)");
            case BackupKey.SecretKey secret:
                foreach (var forKey in list.GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>())
                {
                    if (secret.Keys.GetSecretKey(forKey.KeyId) is not { } secretKey)
                    {
                        continue;
                    }

                    PgpPrivateKey privateKey;
                    try
                    {
                        privateKey = secretKey.ExtractPrivateKey(secret.KeyPassphrase?.ToCharArray() ?? []);
                    }
                    catch (PgpException)
                    {
                        throw new UserFacingException("the secret key is protected by a passphrase: give it with --key-passphrase-env VAR");
                    }

                    return (forKey, forKey.GetDataStream(privateKey));
                }

                throw new UserFacingException("the secret key given does not open this backup (it was encrypted to another key, or with a passphrase)");
            default:
                throw new InvalidOperationException("unknown backup key");
        }
    }

    /// <summary>Places the unpacked files: databases (or pg_restore), the vault, the key file, data-protection keys.</summary>
    private async Task PlaceAsync(BackupManifest manifest, string staging, CancellationToken cancellationToken)
    {
        var wantsPostgres = manifest.Database == "postgresql";
        if (wantsPostgres != options.Database is PostgresTarget)
        {
            throw new UserFacingException(wantsPostgres
                ? "this backup is of a PostgreSQL installation: restore it with --db postgres://… (an empty database)"
                : "this backup is of an SQLite installation: restore it without --db");
        }

        if (options.Database is PostgresTarget postgres)
        {
            await PostgresTools.RestoreAsync(postgres.Url, Path.Combine(staging, "database.pgdump"), cancellationToken);
        }

        foreach (var name in manifest.Files.Where(name => name != "database.pgdump"))
        {
            var source = SafePath(staging, name);
            var target = SafePath(options.DataDirectory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(source, target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    /// <summary>A name from the archive as a path below <paramref name="root"/>; anything reaching outside it is refused.</summary>
    private static string SafePath(string root, string name)
    {
        var full = Path.GetFullPath(Path.Combine(root, name));
        return full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new UserFacingException($"the backup names a file outside the data dir ({name}): it was not written by SecureMinutes");
    }
}
