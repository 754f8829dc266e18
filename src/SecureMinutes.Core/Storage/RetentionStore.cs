using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The storage side of retention (issue 17): which submissions are due for shredding, the shredding itself (one
/// transaction per submission), and the deletion of a whole list. Written once for SQLite and PostgreSQL.
/// On SQLite every connection runs with <c>secure_delete</c> (<see cref="SqliteDialect"/>), so what is deleted here is
/// overwritten in the database file; <see cref="CompactAsync"/> then empties the WAL that still held the old pages.
/// </summary>
public sealed class RetentionStore(Database database, DirectorySealing sealing)
{
    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>The list's retention after a submission is finished, in days; null: the installation's default.</summary>
    public async Task<int?> GetKeepDaysAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (int?)await connection.ExecuteScalarAsync<long?>("SELECT keep_days FROM lists WHERE id = @listId", new { listId });
    }

    public async Task SetKeepDaysAsync(long listId, int? days, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET keep_days = @days WHERE id = @listId", new { listId, days = (long?)days });
    }

    /// <summary>
    /// Submissions of any list whose content outlived the list's retention: finished (every copy final) at least
    /// keep_days (or <paramref name="defaultKeepDays"/>) before <paramref name="now"/>, and not shredded yet; each with its list
    /// (the audit says per list how many were shredded).
    /// </summary>
    public async Task<IReadOnlyList<(string Id, long ListId)>> DueAsync(DateTimeOffset now, int defaultKeepDays, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string Id, long ListId)>(
            """
            SELECT s.id, s.list_id FROM submissions s JOIN lists l ON l.id = s.list_id
            WHERE s.shredded_at IS NULL AND s.finished_at IS NOT NULL
              AND s.finished_at <= @now - COALESCE(l.keep_days, @defaultKeepDays) * @day
            ORDER BY s.created_at
            """,
            new { now = Time.ToDb(now), defaultKeepDays = (long)defaultKeepDays, day = MillisecondsPerDay })).ToList();
    }

    /// <summary>The list's submissions not shredded yet that were made before <paramref name="before"/> (null: all of them).</summary>
    public async Task<IReadOnlyList<string>> UnshreddedAsync(long listId, DateTimeOffset? before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT id FROM submissions WHERE list_id = @listId AND shredded_at IS NULL AND created_at < @before ORDER BY created_at",
            new { listId, before = before is { } at ? Time.ToDb(at) : long.MaxValue })).ToList();
    }

    /// <summary>
    /// Shreds one submission: its key and payload are destroyed, copies not yet handed to a sender are cancelled (there
    /// is nothing left to send), its keyed content hashes, pad capture and web draft are deleted. What remains is its id,
    /// list, kind, dates and each member's delivery state. False when it was shredded already.
    /// </summary>
    public async Task<bool> ShredAsync(string submissionId, string detail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { submissionId, detail, now = Time.ToDb(now), nothing = Array.Empty<byte>() };
        var shredded = await connection.ExecuteAsync(
            """
            UPDATE submissions SET sealed_payload = @nothing, content_mac = NULL, request_mac = NULL, shredded_at = @now,
                finished_at = COALESCE(finished_at, @now)
            WHERE id = @submissionId AND shredded_at IS NULL
            """,
            args, transaction) == 1;
        if (shredded)
        {
            await connection.ExecuteAsync(
                """
                DELETE FROM submission_keys WHERE submission_id = @submissionId;
                UPDATE deliveries SET state = 'cancelled', detail = @detail, updated_at = @now
                    WHERE submission_id = @submissionId AND state IN ('queued', 'failed-transient');
                DELETE FROM batch_leases WHERE submission_id = @submissionId;
                DELETE FROM pad_captures WHERE submission_id = @submissionId;
                DELETE FROM minutes_drafts WHERE submission_id = @submissionId;
                """,
                args, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return shredded;
    }

    /// <summary>
    /// Drops the list's finished pad captures (their sealed pad address is a key to the minutes) made before
    /// <paramref name="before"/>, whose submission may never have been made (a failed capture); pending ones stay.
    /// </summary>
    public async Task<int> DropFinishedCapturesAsync(long? listId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "DELETE FROM pad_captures WHERE (@listId IS NULL OR list_id = @listId) AND state <> 'pending' AND updated_at < @before",
            new { listId, before = Time.ToDb(before) });
    }

    /// <summary>
    /// Deletes a list and everything of it in one transaction: its key and retired keys, members, submissions with
    /// their keys and copies, captures, drafts, invites, join requests, audit, settings (the schema's
    /// <c>ON DELETE CASCADE</c>, plus the batch leases, which have no foreign key). False when there was no such list.
    /// <paramref name="record"/>, when given, is written to the list-less audit (<see cref="ServiceAuditStore"/>) in the
    /// same transaction, so a deletion is never unlogged and a line never tells of a deletion that did not happen.
    /// </summary>
    public async Task<bool> DeleteListAsync(long listId, ServiceAuditEntry? record = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "DELETE FROM batch_leases WHERE submission_id IN (SELECT id FROM submissions WHERE list_id = @listId)", new { listId }, transaction);
        // The list's key history first: a list_keys row holds a retired secret key, and must not outlive its list.
        await connection.ExecuteAsync("DELETE FROM list_keys WHERE list_id = @listId", new { listId }, transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM lists WHERE id = @listId", new { listId }, transaction) == 1;
        if (deleted && record is not null)
        {
            await ServiceAuditStore.InsertAsync(connection, transaction, sealing, record);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// After shredding on SQLite: copies the WAL's pages into the database file and truncates the WAL, so the old
    /// versions of the shredded rows do not linger there (best effort: a reader holding a snapshot keeps them until it ends).
    /// PostgreSQL has no equivalent a client can force: see README, "Secrets at rest".
    /// </summary>
    public async Task CompactAsync(CancellationToken cancellationToken = default)
    {
        if (database.Dialect is not SqliteDialect)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
    }
}
