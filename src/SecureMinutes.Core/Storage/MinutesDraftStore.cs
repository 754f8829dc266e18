using Dapper;

namespace SecureMinutes.Storage;

/// <summary>A stored draft: who made it for which list, the submission id it will be sent under, and its content sealed.</summary>
public sealed record StoredDraft(string Id, long AccountId, long ListId, string SubmissionId, byte[] Sealed, DateTimeOffset CreatedAt);

/// <summary>
/// Minutes between the web app's preview and the note-taker's confirmation, sealed like any minutes. A draft
/// belongs to one account and one list; its content is dropped once sent, and any draft older than a day is dropped.
/// </summary>
public sealed class MinutesDraftStore(Database database)
{
    public async Task AddAsync(StoredDraft draft, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO minutes_drafts (id, account_id, list_id, submission_id, sealed_draft, created_at)
            VALUES (@Id, @AccountId, @ListId, @SubmissionId, @Sealed, @createdAt)
            """,
            new { draft.Id, draft.AccountId, draft.ListId, draft.SubmissionId, draft.Sealed, createdAt = Time.ToDb(draft.CreatedAt) });
    }

    /// <summary>The draft if it exists and is this account's, for this list; null otherwise.</summary>
    public async Task<StoredDraft?> FindAsync(string id, long accountId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, long AccountId, long ListId, string SubmissionId, byte[] SealedDraft, long CreatedAt)?>(
            "SELECT id, account_id, list_id, submission_id, sealed_draft, created_at FROM minutes_drafts WHERE id = @id AND account_id = @accountId AND list_id = @listId",
            new { id, accountId, listId });
        return row is { } r ? new StoredDraft(r.Id, r.AccountId, r.ListId, r.SubmissionId, r.SealedDraft, Time.FromDb(r.CreatedAt)) : null;
    }

    /// <summary>Drops the content of a confirmed draft; the row stays (until it expires) so a second confirmation finds what was sent.</summary>
    public async Task ClearAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE minutes_drafts SET sealed_draft = @empty WHERE id = @id", new { id, empty = Array.Empty<byte>() });
    }

    /// <summary>Drops drafts nobody confirmed (an abandoned preview keeps no minutes around, even sealed).</summary>
    public async Task DeleteOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM minutes_drafts WHERE created_at < @before", new { before = Time.ToDb(before) });
    }
}
