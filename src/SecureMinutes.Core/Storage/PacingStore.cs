using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// Shared send slots per list, so a rate holds across every worker process: each reservation is one atomic
/// UPDATE on the same row, on SQLite and PostgreSQL alike.
/// </summary>
public sealed class PacingStore(Database database)
{
    /// <summary>Reserves the next send slot at least <paramref name="interval"/> after the previous one; returns its time.</summary>
    public async Task<DateTimeOffset> ReserveSlotAsync(long listId, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, listId);
        var slot = await connection.ExecuteScalarAsync<long>(
            $"UPDATE send_pacing SET next_slot = {database.Dialect.Greatest}(next_slot, @now) + @interval WHERE list_id = @listId RETURNING next_slot - @interval",
            new { listId, now = Time.ToDb(now), interval = (long)interval.TotalMilliseconds });
        return Time.FromDb(slot);
    }

    /// <summary>Counts one message against the list's daily cap; false when today's cap is already used up.</summary>
    public async Task<bool> TryCountTodayAsync(long listId, DateTimeOffset now, int cap, CancellationToken cancellationToken = default)
    {
        var day = Time.ToDb(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero));
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, listId);
        return await connection.ExecuteAsync(
            """
            UPDATE send_pacing SET day_count = CASE WHEN day_start = @day THEN day_count + 1 ELSE 1 END, day_start = @day
            WHERE list_id = @listId AND (day_start <> @day OR day_count < @cap)
            """,
            new { listId, day, cap = (long)cap }) == 1;
    }

    private static Task<int> EnsureRowAsync(System.Data.Common.DbConnection connection, long listId) =>
        connection.ExecuteAsync("INSERT INTO send_pacing (list_id) VALUES (@listId) ON CONFLICT (list_id) DO NOTHING", new { listId });
}
