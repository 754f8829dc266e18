using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// What mail-in did with each message, keyed by a hash of it (never its content). Recorded before anything
/// is distributed or replied, with the submission id chosen up front: a crash at any point then neither
/// loses the mail (it is deleted from the mailbox last) nor distributes it twice.
/// </summary>
public sealed class IntakeMessageStore(Database database)
{
    public sealed record Entry(string MessageKey, string Outcome, string? SubmissionId, long? ReplyMemberId);

    /// <summary>Records the decision unless one exists; returns the recorded one either way.</summary>
    public async Task<Entry> RecordAsync(long listId, Entry entry, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO intake_messages (list_id, message_key, outcome, submission_id, reply_member_id, processed_at)
            VALUES (@listId, @MessageKey, @Outcome, @SubmissionId, @ReplyMemberId, @now)
            ON CONFLICT (list_id, message_key) DO NOTHING
            """,
            new { listId, entry.MessageKey, entry.Outcome, entry.SubmissionId, entry.ReplyMemberId, now = Time.ToDb(now) });
        return await connection.QuerySingleAsync<Entry>(
            "SELECT message_key AS MessageKey, outcome AS Outcome, submission_id AS SubmissionId, reply_member_id AS ReplyMemberId FROM intake_messages WHERE list_id = @listId AND message_key = @messageKey",
            new { listId, messageKey = entry.MessageKey });
    }

    public async Task<Entry?> FindAsync(long listId, string messageKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Entry>(
            "SELECT message_key AS MessageKey, outcome AS Outcome, submission_id AS SubmissionId, reply_member_id AS ReplyMemberId FROM intake_messages WHERE list_id = @listId AND message_key = @messageKey",
            new { listId, messageKey });
    }

    /// <summary>How many refusals a member was sent lately: replies are capped, so two robots cannot loop.</summary>
    public async Task<int> RepliesSinceAsync(long listId, long memberId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM intake_messages WHERE list_id = @listId AND reply_member_id = @memberId AND processed_at >= @since",
            new { listId, memberId, since = Time.ToDb(since) });
    }
}
