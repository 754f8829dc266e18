using Dapper;
using SecureMinutes.Keys;

namespace SecureMinutes.Storage;

/// <summary>
/// The lifecycle notices already sent, one row per member, key and event ("expires 2026-03-01, 7 days
/// before"; "expired"; "revoked"), so a daily job tells people once per threshold and not every run. The key is
/// remembered by a keyed tag of its fingerprint (<see cref="Secrets.DirectorySealing.FingerprintTag"/>), never the fingerprint.
/// </summary>
public sealed class KeyNoticeStore(Database database, Secrets.DirectorySealing sealing)
{
    /// <summary>Records the notice as sent; false if it already was (by an earlier run or another worker).</summary>
    public async Task<bool> TryClaimAsync(long memberId, Fingerprint fingerprint, string @event, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO key_notices (member_id, fingerprint, event, sent_at) VALUES (@memberId, @fingerprint, @event, @now)
            ON CONFLICT (member_id, fingerprint, event) DO NOTHING
            """,
            new { memberId, fingerprint = sealing.FingerprintTag(memberId, fingerprint.Hex), @event, now = Time.ToDb(now) }) == 1;
    }

    /// <summary>Forgets a claim whose mail could not be stored, so the next run sends it.</summary>
    public async Task ReleaseAsync(long memberId, Fingerprint fingerprint, string @event, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM key_notices WHERE member_id = @memberId AND fingerprint = @fingerprint AND event = @event",
            new { memberId, fingerprint = sealing.FingerprintTag(memberId, fingerprint.Hex), @event });
    }

    public async Task<IReadOnlyList<string>> EventsAsync(long memberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>("SELECT event FROM key_notices WHERE member_id = @memberId ORDER BY sent_at, event", new { memberId })).ToList();
    }
}
