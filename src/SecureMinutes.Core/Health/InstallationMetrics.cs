using Dapper;
using Hangfire;
using SecureMinutes.Storage;

namespace SecureMinutes.Health;

/// <summary>What one list is doing, as <c>/metrics</c> shows it. Names the list only, never a member.</summary>
/// <param name="List">The list's name (the only label metrics carry).</param>
/// <param name="CopiesByState">Every copy the list ever queued and still holds, counted by delivery state
/// (<c>queued</c>, <c>delivered</c>, <c>failed</c>, <c>skipped-no-key</c>…).</param>
/// <param name="DeliveredLastFiveMinutes">Copies the provider accepted in the last five minutes (the send rate).</param>
/// <param name="Slowdowns">Times the provider asked us to slow down (4xx rate limits), since the list was created.</param>
/// <param name="Deferrals">Copies deferred by the list's own rate or daily cap, since the list was created.</param>
/// <param name="Paused">Whether sending is paused (quota, revoked key, an admin).</param>
/// <param name="KeysExpiringSoon">Members whose key expires within <see cref="InstallationMetrics.ExpiryHorizon"/>.</param>
/// <param name="KeysExpired">Members whose key has expired.</param>
public sealed record ListMetrics(string List, IReadOnlyDictionary<string, long> CopiesByState, long DeliveredLastFiveMinutes, long Slowdowns,
    long Deferrals, bool Paused, long KeysExpiringSoon, long KeysExpired);

/// <summary>The whole installation at one moment: each list, and the background jobs.</summary>
/// <param name="JobRetries">Hangfire jobs waiting to be retried after a failure.</param>
/// <param name="JobsFailed">Hangfire jobs that failed for good (retries exhausted).</param>
/// <param name="JobsEnqueued">Hangfire jobs waiting for a worker.</param>
public sealed record MetricsSnapshot(IReadOnlyList<ListMetrics> Lists, long JobRetries, long JobsFailed, long JobsEnqueued);

/// <summary>
/// Reads the figures <c>/metrics</c> exports from the database and Hangfire's storage when a scraper asks,
/// so every process (serve and each worker) is counted, not only the one answering. A few grouped queries;
/// no minutes and no addresses are read.
/// </summary>
public sealed class InstallationMetrics(Database database, JobStorage jobs, TimeProvider time)
{
    /// <summary>How far ahead a key's expiry counts as "soon": the first expiry warning members get (30 days).</summary>
    public static readonly TimeSpan ExpiryHorizon = TimeSpan.FromDays(30);

    /// <summary>One snapshot; lists ordered by name.</summary>
    public async Task<MetricsSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var lists = (await connection.QueryAsync<ListRow>(new CommandDefinition("""
            SELECT l.id AS Id, l.name AS Name, CASE WHEN l.paused_at IS NULL THEN 0 ELSE 1 END AS Paused,
                   COALESCE(p.throttle_count, 0) AS Slowdowns, COALESCE(p.deferral_count, 0) AS Deferrals
            FROM lists l LEFT JOIN send_pacing p ON p.list_id = l.id ORDER BY l.name
            """, cancellationToken: cancellationToken))).ToList();
        var copies = (await connection.QueryAsync<(long ListId, string State, long Count)>(new CommandDefinition("""
            SELECT s.list_id, d.state, COUNT(*) FROM deliveries d JOIN submissions s ON s.id = d.submission_id GROUP BY s.list_id, d.state
            """, cancellationToken: cancellationToken))).ToList();
        var recent = (await connection.QueryAsync<(long ListId, long Count)>(new CommandDefinition("""
            SELECT s.list_id, COUNT(*) FROM deliveries d JOIN submissions s ON s.id = d.submission_id
            WHERE d.delivered_at >= @since GROUP BY s.list_id
            """, new { since = Time.ToDb(now - TimeSpan.FromMinutes(5)) }, cancellationToken: cancellationToken))).ToDictionary(r => r.ListId, r => r.Count);
        var keys = (await connection.QueryAsync<(long ListId, long Soon, long Expired)>(new CommandDefinition("""
            SELECT list_id,
                   SUM(CASE WHEN key_expires_at >= @now AND key_expires_at < @horizon THEN 1 ELSE 0 END),
                   SUM(CASE WHEN key_expires_at < @now THEN 1 ELSE 0 END)
            FROM members WHERE key_expires_at IS NOT NULL GROUP BY list_id
            """, new { now = Time.ToDb(now), horizon = Time.ToDb(now + ExpiryHorizon) }, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.ListId, r => (r.Soon, r.Expired));

        var perList = lists.Select(l => new ListMetrics(
            l.Name,
            copies.Where(c => c.ListId == l.Id).ToDictionary(c => c.State, c => c.Count, StringComparer.Ordinal),
            recent.GetValueOrDefault(l.Id),
            l.Slowdowns,
            l.Deferrals,
            l.Paused != 0,
            keys.TryGetValue(l.Id, out var k) ? k.Soon : 0,
            keys.TryGetValue(l.Id, out var e) ? e.Expired : 0)).ToList();

        var statistics = jobs.GetMonitoringApi().GetStatistics();
        return new MetricsSnapshot(perList, statistics.Retries ?? 0, statistics.Failed, statistics.Enqueued);
    }

    private sealed class ListRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public long Paused { get; set; }
        public long Slowdowns { get; set; }
        public long Deferrals { get; set; }
    }
}
