using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SecureMinutes.Storage;

internal static class UniqueViolation
{
    /// <summary>SQLite's SQLITE_CONSTRAINT (19); PostgreSQL's SQLSTATE 23505.</summary>
    public static bool Is(DbException ex) => ex is SqliteException { SqliteErrorCode: 19 } || ex.SqlState == "23505";
}
