using Dapper;
using SecureMinutes.Distribution;

namespace SecureMinutes.Storage;

public sealed class SubmissionStore(Database database)
{
    /// <summary>Stores the submission and one delivery row per member in a single transaction.</summary>
    public async Task CreateAsync(Submission submission, byte[] sealedPayload, IEnumerable<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO submissions (id, list_id, message_id, sealed_payload, created_at, send_at)
            VALUES (@Id, @ListId, @MessageId, @sealedPayload, @createdAt, @sendAt)
            """,
            new { submission.Id, submission.ListId, submission.MessageId, sealedPayload, createdAt = Time.ToDb(submission.CreatedAt), sendAt = Time.ToDb(submission.SendAt) },
            transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO deliveries (submission_id, member_id, email, fingerprint, state, attempts, detail, updated_at)
            VALUES (@SubmissionId, @MemberId, @Email, @Fingerprint, @state, 0, @Detail, @updatedAt)
            """,
            deliveries.Select(d => new { d.SubmissionId, d.MemberId, d.Email, d.Fingerprint, state = d.State.ToText(), d.Detail, updatedAt = Time.ToDb(d.UpdatedAt) }),
            transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Submission?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubmissionRow>(
            "SELECT id, list_id, message_id, created_at, send_at FROM submissions WHERE id = @id", new { id });
        return row is null ? null : new Submission(row.Id, row.ListId, row.MessageId, Time.FromDb(row.CreatedAt), Time.FromDb(row.SendAt));
    }

    public async Task<Submission> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) ?? throw new UserFacingException($"no submission '{id}'");

    public async Task<byte[]> GetSealedPayloadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]>("SELECT sealed_payload FROM submissions WHERE id = @id", new { id })
            ?? throw new InvalidOperationException($"Submission {id} has no payload.");
    }

    private sealed class SubmissionRow
    {
        public string Id { get; set; } = "";
        public long ListId { get; set; }
        public string MessageId { get; set; } = "";
        public long CreatedAt { get; set; }
        public long SendAt { get; set; }
    }
}
