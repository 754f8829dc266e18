using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// The keyless notices claimed (<c>keyless_notices</c>, one row per member): when a member was last claimed for one
/// (<c>sent_at</c>), for which missed minutes (<c>submission_id</c>), and whether its mail was answered by the provider
/// (<c>delivered_at</c>). A claim is one conditional upsert, so two workers finishing two submissions at once cannot both
/// claim the same member within a week. Holds ids and times only: no address, no text.
/// </summary>
public sealed class KeylessNoticeStore(Database database)
{
    /// <summary>
    /// Claims a notice for <paramref name="memberId"/> about <paramref name="submissionId"/> at <paramref name="now"/>, unless
    /// the member was claimed after <paramref name="notBefore"/> (by any submission, any worker). True when this call claimed it.
    /// </summary>
    public async Task<bool> TryClaimAsync(long memberId, string submissionId, DateTimeOffset now, DateTimeOffset notBefore,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // ON CONFLICT … DO UPDATE … WHERE: SQLite (3.24+) and PostgreSQL count a row only when it was inserted or updated.
        return await connection.ExecuteAsync(
            """
            INSERT INTO keyless_notices (member_id, sent_at, submission_id, delivered_at) VALUES (@memberId, @now, @submissionId, NULL)
            ON CONFLICT (member_id) DO UPDATE SET sent_at = excluded.sent_at, submission_id = excluded.submission_id, delivered_at = NULL
            WHERE keyless_notices.sent_at <= @notBefore
            """,
            new { memberId, submissionId, now = Time.ToDb(now), notBefore = Time.ToDb(notBefore) }) == 1;
    }

    /// <summary>Forgets claims whose job could not be queued, so the next skipped minutes claim them again.</summary>
    public async Task ReleaseAsync(string submissionId, IReadOnlyCollection<long> memberIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM keyless_notices WHERE member_id = @memberId AND submission_id = @submissionId AND delivered_at IS NULL",
            memberIds.Select(memberId => new { memberId, submissionId }));
    }

    /// <summary>The members claimed for <paramref name="submissionId"/> whose notice was not answered yet.</summary>
    public async Task<IReadOnlyList<long>> PendingAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(
            "SELECT member_id FROM keyless_notices WHERE submission_id = @submissionId AND delivered_at IS NULL ORDER BY member_id",
            new { submissionId })).ToList();
    }

    /// <summary>Records that the provider answered (accepted or refused for good) the notice claimed for <paramref name="submissionId"/>.</summary>
    public async Task MarkDoneAsync(long memberId, string submissionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE keyless_notices SET delivered_at = @now WHERE member_id = @memberId AND submission_id = @submissionId AND delivered_at IS NULL",
            new { memberId, submissionId, now = Time.ToDb(now) });
    }
}
