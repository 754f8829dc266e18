using Microsoft.Data.Sqlite;
using Npgsql;

namespace SecureMinutes.Storage;

/// <summary>
/// Turns a failure of the machine around the program (a full disk, a database another process holds
/// locked, a read-only or unreachable data dir, a PostgreSQL server down or out of space) into one line in
/// the admin's words, instead of "this is a bug". Both SQLite bindings are understood: Microsoft.Data.Sqlite
/// (application data) and sqlite-net (Hangfire's SQLite storage).
/// </summary>
public static class EnvironmentFault
{
    // SQLite primary result codes (https://www.sqlite.org/rescode.html).
    private const int SqlitePerm = 3, SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10, SqliteFull = 13, SqliteCantOpen = 14;

    // Linux errno for "No space left on device" and "Disk quota exceeded", as .NET puts them in IOException.HResult.
    private const int Enospc = 28, Edquot = 122;

    /// <summary>Below this much free space, an I/O error in the data dir is reported as a full disk.</summary>
    private const long NearlyFullBytes = 1024 * 1024;

    /// <summary>The one line for <paramref name="failure"/> (or an exception inside it), or null when it is not an environment fault.</summary>
    /// <param name="dataDirectory">Where the SQLite files and vault live, named in the line.</param>
    public static string? Describe(Exception failure, string dataDirectory)
    {
        for (var ex = failure; ex is not null; ex = ex.InnerException)
        {
            if (Classify(ex, dataDirectory) is { } line)
            {
                return line;
            }
        }

        return null;
    }

    private static string? Classify(Exception ex, string dataDirectory)
    {
        var dir = TerminalText.Escape(dataDirectory);
        var code = ex switch
        {
            SqliteException sqlite => sqlite.SqliteErrorCode & 0xff,
            SQLite.SQLiteException sqliteNet => (int)sqliteNet.Result & 0xff,
            _ => -1,
        };
        switch (code)
        {
            case SqliteFull:
                return Full(dir);
            case SqliteIoErr:
                return IsNearlyFull(dataDirectory) ? Full(dir) : $"the disk holding {dir} reported an I/O error; check it (dmesg, smartctl) before trying again";
            case SqliteBusy or SqliteLocked:
                return $"the database in {dir} is locked by another process (waited {Database.BusyTimeout.TotalSeconds:0} s): another secureminutes command, a backup or an sqlite3 shell holds it; try again when it is done";
            case SqliteReadOnly when IsNearlyFull(dataDirectory):
                return Full(dir);
            case SqliteReadOnly:
                return $"the database in {dir} is read-only (a read-only disk, or files owned by another user): nothing could be changed";
            case SqlitePerm or SqliteCantOpen:
                return $"the database in {dir} cannot be opened (missing permissions, or the folder is gone)";
        }

        return ex switch
        {
            IOException io when (io.HResult & 0xffff) is Enospc or Edquot || io.Message.Contains("No space left", StringComparison.Ordinal) => Full(dir),
            PostgresException { SqlState: "53100" } => "the PostgreSQL server's disk is full: free space there (nothing was changed)",
            PostgresException { SqlState: "57P03" or "53300" } pg => $"the PostgreSQL server cannot take connections now ({TerminalText.Escape(pg.MessageText)}); try again shortly",
            NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } npgsql =>
                $"the PostgreSQL server cannot be reached ({TerminalText.Escape(npgsql.InnerException!.Message.TrimEnd('.'))}); check --db and that the server runs",
            _ => null,
        };
    }

    /// <summary>True when <paramref name="failure"/> comes from the disk holding <paramref name="dataDirectory"/> being full.</summary>
    public static bool IsDiskFull(Exception failure, string dataDirectory) =>
        Describe(failure, dataDirectory) is { } line && line == Full(TerminalText.Escape(dataDirectory));

    private static string Full(string dir) => $"the disk holding {dir} is full: free some space there and run the command again (nothing was changed)";

    private static bool IsNearlyFull(string dataDirectory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(dataDirectory)).AvailableFreeSpace < NearlyFullBytes;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
