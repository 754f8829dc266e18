using Dapper;

namespace SecureMinutes.Storage;

/// <summary>A list's shared sending state: the next free slot and the provider-imposed slowdown.</summary>
public sealed record PacingState(
    DateTimeOffset NextSlot,
    TimeSpan ThrottleInterval,
    DateTimeOffset ThrottledUntil,
    DateTimeOffset? LastThrottleAt,
    long ThrottleCount,
    long DeferralCount,
    DateTimeOffset WindowStart,
    long WindowCount)
{
    public static readonly PacingState Empty = new(DateTimeOffset.UnixEpoch, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, 0, 0, DateTimeOffset.UnixEpoch, 0);
}

/// <summary>How reservations relax a slowdown: per message sent, and entirely after a quiet period.</summary>
public sealed record ThrottleRecovery(int KeepPerMille, TimeSpan ForgetAfter, TimeSpan Window);

/// <summary>
/// Shared send slots per list, so a rate holds across every worker process: each reservation is one atomic
/// UPDATE on the same row, on SQLite and PostgreSQL alike.
/// </summary>
public sealed class PacingStore(Database database)
{
    private const string Columns = "next_slot, throttle_interval, throttled_until, last_throttle_at, throttle_count, deferral_count, window_start, window_count";

    public async Task<PacingState> GetAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PacingRow>($"SELECT {Columns} FROM send_pacing WHERE list_id = @listId", new { listId });
        return row?.ToState() ?? PacingState.Empty;
    }

    /// <summary>
    /// Reserves the next send slot: not before the previous slot plus the spacing (the larger of
    /// <paramref name="baseInterval"/> and the provider-imposed slowdown), nor before a cool-down ends. Each
    /// reservation relaxes the slowdown a little (<paramref name="recovery"/>). Returns null, reserving
    /// nothing, when the slot would be more than <paramref name="maxWait"/> away. <paramref name="count"/> messages are
    /// counted in the window (only ever more than one when there is no spacing: <see cref="Distribution.SendPacer"/>).
    /// </summary>
    public async Task<DateTimeOffset?> ReserveSlotAsync(long listId, DateTimeOffset now, TimeSpan baseInterval, ThrottleRecovery recovery, TimeSpan maxWait,
        int count = 1, CancellationToken cancellationToken = default)
    {
        var g = database.Dialect.Greatest;
        var relaxed = "CASE WHEN @now - last_throttle_at > @forgetAfter OR throttle_interval * @keep / 1000 < @floor THEN 0 ELSE throttle_interval * @keep / 1000 END";
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, listId);
        var slot = await connection.ExecuteScalarAsync<long?>(
            $"""
            UPDATE send_pacing SET
                throttle_interval = {relaxed},
                next_slot = {g}({g}(next_slot, @now), throttled_until) + {g}(@base, {relaxed}),
                window_start = CASE WHEN @now - window_start >= @window THEN @now ELSE window_start END,
                window_count = CASE WHEN @now - window_start >= @window THEN @count ELSE window_count + @count END
            WHERE list_id = @listId AND {g}(next_slot, throttled_until) - @now <= @maxWait
            RETURNING next_slot - {g}(@base, throttle_interval)
            """,
            new
            {
                listId,
                now = Time.ToDb(now),
                @base = (long)baseInterval.TotalMilliseconds,
                keep = (long)recovery.KeepPerMille,
                forgetAfter = (long)recovery.ForgetAfter.TotalMilliseconds,
                floor = Math.Max((long)baseInterval.TotalMilliseconds, 10),
                window = (long)recovery.Window.TotalMilliseconds,
                maxWait = (long)maxWait.TotalMilliseconds,
                count = (long)count,
            });
        return slot is { } s ? Time.FromDb(s) : null;
    }

    /// <summary>
    /// Records a "slow down" reply. Every reply is counted; the slowdown itself is applied only for a message
    /// reserved after the last one was applied (<paramref name="reservedAt"/>): replies to messages already on
    /// their way when it was decided describe the same burst. Returns whether it was applied.
    /// </summary>
    public async Task<bool> RecordThrottleAsync(long listId, DateTimeOffset reservedAt, DateTimeOffset now, TimeSpan interval, DateTimeOffset until,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, listId);
        await connection.ExecuteAsync("UPDATE send_pacing SET deferral_count = deferral_count + 1 WHERE list_id = @listId", new { listId });
        var applied = await connection.ExecuteAsync(
            """
            UPDATE send_pacing SET throttle_interval = @interval, throttled_until = @until, throttle_count = throttle_count + 1,
                window_start = @until, window_count = 0, last_throttle_at = @now
            WHERE list_id = @listId AND last_throttle_at < @reservedAt
            """,
            new
            {
                listId,
                reservedAt = Time.ToDb(reservedAt),
                now = Time.ToDb(now),
                interval = (long)interval.TotalMilliseconds,
                until = Time.ToDb(until),
            });
        return applied == 1;
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

    /// <summary>Gives back a message counted today that the provider did not take (it deferred it for the account's sake).</summary>
    public async Task UncountTodayAsync(long listId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var day = Time.ToDb(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero));
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE send_pacing SET day_count = day_count - 1 WHERE list_id = @listId AND day_start = @day AND day_count > 0",
            new { listId, day });
    }

    private static Task<int> EnsureRowAsync(System.Data.Common.DbConnection connection, long listId) =>
        connection.ExecuteAsync("INSERT INTO send_pacing (list_id) VALUES (@listId) ON CONFLICT (list_id) DO NOTHING", new { listId });

    private sealed class PacingRow
    {
        public long NextSlot { get; set; }
        public long ThrottleInterval { get; set; }
        public long ThrottledUntil { get; set; }
        public long LastThrottleAt { get; set; }
        public long ThrottleCount { get; set; }
        public long DeferralCount { get; set; }
        public long WindowStart { get; set; }
        public long WindowCount { get; set; }

        public PacingState ToState() => new(Time.FromDb(NextSlot), TimeSpan.FromMilliseconds(ThrottleInterval), Time.FromDb(ThrottledUntil),
            LastThrottleAt == 0 ? null : Time.FromDb(LastThrottleAt), ThrottleCount, DeferralCount, Time.FromDb(WindowStart), WindowCount);
    }
}
