namespace SecureMinutes.Storage;

/// <summary>
/// Keeps the data dir's files readable by their owner only (0600), the dir itself being 0700 (issue 17): a
/// mistaken <c>chmod</c> of the folder, a backup tool or a copy elsewhere then still exposes nothing to other users.
/// </summary>
/// <remarks>
/// SQLite creates a database's <c>-wal</c> and <c>-shm</c> (and rollback journal) with the permissions of the database
/// file itself (its unix VFS copies them), so creating the database file 0600 before SQLite first opens it covers
/// those too; files from earlier versions (0644) are tightened when a data dir is opened. Nothing is done on Windows,
/// where the folder's ACL is what protects them.
/// </remarks>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] SqliteCompanions = ["-wal", "-shm", "-journal"];

    /// <summary>Creates <paramref name="databasePath"/> empty with mode 0600 if it does not exist, and sets 0600 on it and its SQLite companions.</summary>
    public static void PrepareSqlite(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(databasePath))
        {
            try
            {
                // An empty file is a new database to SQLite; created here, it gets our mode rather than the umask's.
                using var created = new FileStream(databasePath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly,
                });
            }
            catch (IOException) when (File.Exists(databasePath))
            {
                // Another process created it at the same moment.
            }
        }

        foreach (var path in SqliteCompanions.Select(suffix => databasePath + suffix).Prepend(databasePath))
        {
            Tighten(path);
        }
    }

    /// <summary>Sets 0600 on every regular file directly in <paramref name="directory"/> (an upgrade from 0644); missing folder: nothing.</summary>
    public static void TightenDirectory(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(directory))
        {
            Tighten(path);
        }
    }

    private static void Tighten(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null && (info.UnixFileMode & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(path, info.UnixFileMode & OwnerOnly);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file another user owns (a restored backup's) or that vanished meanwhile: left as it is.
        }
    }
}
