using Dapper;
using SecureMinutes.Minutes;

namespace SecureMinutes.Storage;

public sealed class PadCaptureStore(Database database)
{
    private const string Columns = "id, list_id, submission_id, capture_at, state, failure, created_at";

    public async Task<PadCapture> InsertAsync(long listId, string submissionId, byte[] sealedRequest, DateTimeOffset captureAt, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO pad_captures (list_id, submission_id, sealed_request, capture_at, state, created_at, updated_at)
            VALUES (@listId, @submissionId, @sealedRequest, @captureAt, 'pending', @now, @now) RETURNING id
            """,
            new { listId, submissionId, sealedRequest, captureAt = Time.ToDb(captureAt), now = Time.ToDb(now) });
        return new PadCapture(id, listId, submissionId, captureAt, PadCaptureState.Pending, null, now);
    }

    public async Task<PadCapture?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM pad_captures WHERE id = @id", new { id }))?.ToCapture();
    }

    public async Task<PadCapture?> FindBySubmissionAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM pad_captures WHERE submission_id = @submissionId", new { submissionId }))?.ToCapture();
    }

    /// <summary>Captures whose time has come and that are still pending (the sweep re-schedules lost ones).</summary>
    public async Task<IReadOnlyList<long>> DuePendingIdsAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>("SELECT id FROM pad_captures WHERE state = 'pending' AND capture_at <= @dueBefore ORDER BY capture_at",
            new { dueBefore = Time.ToDb(dueBefore) })).ToList();
    }

    public async Task<byte[]> GetSealedRequestAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]>("SELECT sealed_request FROM pad_captures WHERE id = @id", new { id })
            ?? throw new InvalidOperationException($"Pad capture {id} has no request.");
    }

    /// <summary>Records the outcome; true only for the caller that moved it out of pending (so admins are told once).</summary>
    public async Task<bool> FinishAsync(long id, PadCaptureState state, string? failure, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE pad_captures SET state = @state, failure = @failure, updated_at = @now WHERE id = @id AND state = 'pending'",
            new { id, state = state.ToString().ToLowerInvariant(), failure, now = Time.ToDb(now) }) == 1;
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public string SubmissionId { get; set; } = "";
        public long CaptureAt { get; set; }
        public string State { get; set; } = "";
        public string? Failure { get; set; }
        public long CreatedAt { get; set; }

        public PadCapture ToCapture() => new(Id, ListId, SubmissionId, Time.FromDb(CaptureAt), Enum.Parse<PadCaptureState>(State, ignoreCase: true), Failure, Time.FromDb(CreatedAt));
    }
}
