using System.Data.Common;

namespace SecureMinutes.Storage;

internal static class UniqueViolation
{
    /// <summary>SQLite reports constraint code 19 (2067 extended); PostgreSQL SQLSTATE 23505.</summary>
    public static bool Is(DbException ex) =>
        ex.SqlState == "23505" || (ex.GetType().Name == "SqliteException" && ex.ErrorCode == 19);
}
