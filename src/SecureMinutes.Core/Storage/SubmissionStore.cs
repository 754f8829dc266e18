using Dapper;
using SecureMinutes.Distribution;

namespace SecureMinutes.Storage;

public sealed class SubmissionStore(Database database, Secrets.DirectorySealing sealing)
{
    private const string Columns = "id, list_id, kind, message_id, created_at, send_at, finished_at, signing_fingerprint, cancelled_at, content_mac, request_mac, shredded_at";

    /// <summary>The list's latest submissions of a kind, newest first.</summary>
    public async Task<IReadOnlyList<Submission>> LatestAsync(long listId, SubmissionKind kind, int count, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubmissionRow>(
            $"SELECT {Columns} FROM submissions WHERE list_id = @listId AND kind = @kind ORDER BY created_at DESC, id LIMIT @count",
            new { listId, kind = KindText(kind), count });
        return rows.Select(r => r.ToSubmission()).ToList();
    }

    public async Task<IReadOnlyList<Submission>> SinceAsync(long listId, SubmissionKind kind, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubmissionRow>(
            $"SELECT {Columns} FROM submissions WHERE list_id = @listId AND kind = @kind AND created_at >= @since ORDER BY created_at, id",
            new { listId, kind = KindText(kind), since = Time.ToDb(since) });
        return rows.Select(r => r.ToSubmission()).ToList();
    }

    /// <summary>Submissions of a list (or of every list) that are due and not finished.</summary>
    public async Task<IReadOnlyList<string>> UnfinishedDueIdsAsync(long? listId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT id FROM submissions WHERE (@listId IS NULL OR list_id = @listId) AND finished_at IS NULL AND send_at <= @now ORDER BY created_at",
            new { listId, now = Time.ToDb(now) })).ToList();
    }

    /// <summary>Due, unfinished submissions none of whose copies changed since <paramref name="quietSince"/>.</summary>
    public async Task<IReadOnlyList<string>> StaleUnfinishedIdsAsync(DateTimeOffset now, DateTimeOffset quietSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            """
            SELECT s.id FROM submissions s
            WHERE s.finished_at IS NULL AND s.send_at <= @now
              AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.submission_id = s.id AND d.updated_at > @quietSince)
            """,
            new { now = Time.ToDb(now), quietSince = Time.ToDb(quietSince) })).ToList();
    }

    /// <summary>Records that every copy is final; true only for the caller that recorded it (so it is reported once).</summary>
    public async Task<bool> TryMarkFinishedAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE submissions SET finished_at = @now WHERE id = @id AND finished_at IS NULL",
            new { id, now = Time.ToDb(now) }) == 1;
    }

    /// <summary>A submission that gets copies again (a late member) is no longer finished.</summary>
    public async Task ReopenAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE submissions SET finished_at = NULL WHERE id = @id", new { id });
    }

    /// <summary>
    /// Marks a submission whose send time is still ahead as cancelled (and finished); false when it is due already,
    /// or was cancelled or finished before. One conditional UPDATE: a send that starts meanwhile is never half cancelled.
    /// </summary>
    public async Task<bool> TryCancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE submissions SET cancelled_at = @now, finished_at = @now WHERE id = @id AND send_at > @now AND cancelled_at IS NULL AND finished_at IS NULL",
            new { id, now = Time.ToDb(now) }) == 1;
    }

    private static string KindText(SubmissionKind kind) => kind.ToString().ToLowerInvariant();
    /// <summary>
    /// Stores the submission and one delivery row per member in a single transaction. With
    /// <paramref name="uniqueSince"/>, nothing is stored (and false returned) when the list already has a
    /// submission with the same <see cref="Submission.ContentMac"/> made since then; a repeated
    /// <see cref="Submission.RequestMac"/> is refused by a unique index.
    /// </summary>
    public async Task<bool> CreateAsync(Submission submission, SealedContent content, IEnumerable<Delivery> deliveries,
        DateTimeOffset? uniqueSince = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One statement checks and inserts, so two submits racing each other cannot both pass the check (SQLite).
        var inserted = await connection.ExecuteAsync(
            """
            INSERT INTO submissions (id, list_id, kind, message_id, sealed_payload, created_at, send_at, signing_fingerprint, content_mac, request_mac)
            SELECT @Id, @ListId, @kind, @MessageId, @sealedPayload, @createdAt, @sendAt, @signingFingerprint, @ContentMac, @RequestMac
            WHERE NOT EXISTS (SELECT 1 FROM submissions WHERE list_id = @ListId AND content_mac = @ContentMac AND created_at >= @uniqueSince)
            """,
            new
            {
                submission.Id, submission.ListId, kind = KindText(submission.Kind), submission.MessageId, sealedPayload = content.Payload,
                createdAt = Time.ToDb(submission.CreatedAt), sendAt = Time.ToDb(submission.SendAt), signingFingerprint = submission.SigningFingerprint?.Hex,
                submission.ContentMac, submission.RequestMac,
                uniqueSince = uniqueSince is { } since ? Time.ToDb(since) : long.MaxValue,
            },
            transaction);
        if (inserted == 0)
        {
            return false;
        }

        if (content.SealedKey is { } sealedKey)
        {
            await connection.ExecuteAsync("INSERT INTO submission_keys (submission_id, sealed_key) VALUES (@Id, @sealedKey)",
                new { submission.Id, sealedKey }, transaction);
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO deliveries (submission_id, member_id, email, fingerprint, state, attempts, detail, updated_at)
            VALUES (@SubmissionId, @MemberId, @Email, @Fingerprint, @State, 0, @Detail, @UpdatedAt)
            """,
            deliveries.Select(d => DeliveryStore.SealedRow(sealing, d)),
            transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The list's latest submission with this content since <paramref name="since"/> (<see cref="Distribution.SubmissionDuplicates"/>).</summary>
    public async Task<Submission?> FindSameContentAsync(long listId, string contentMac, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<SubmissionRow>(
            $"SELECT {Columns} FROM submissions WHERE list_id = @listId AND content_mac = @contentMac AND created_at >= @since ORDER BY created_at DESC LIMIT 1",
            new { listId, contentMac, since = Time.ToDb(since) });
        return row?.ToSubmission();
    }

    /// <summary>The list's submission made for this idempotency token, if any.</summary>
    public async Task<Submission?> FindByRequestAsync(long listId, string requestMac, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<SubmissionRow>(
            $"SELECT {Columns} FROM submissions WHERE list_id = @listId AND request_mac = @requestMac", new { listId, requestMac });
        return row?.ToSubmission();
    }

    public async Task<Submission?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubmissionRow>($"SELECT {Columns} FROM submissions WHERE id = @id", new { id });
        return row?.ToSubmission();
    }

    public async Task<Submission> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) ?? throw new UserFacingException($"no submission '{id}'");

    /// <summary>The submission's sealed payload and its sealed key (null key: a legacy vault-sealed payload); null once shredded.</summary>
    public async Task<SealedContent?> GetSealedContentAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ContentRow>(
            "SELECT s.sealed_payload, k.sealed_key, s.shredded_at FROM submissions s LEFT JOIN submission_keys k ON k.submission_id = s.id WHERE s.id = @id",
            new { id }) ?? throw new InvalidOperationException($"Submission {id} does not exist.");
        return row.ShreddedAt is null ? new SealedContent(row.SealedPayload, row.SealedKey) : null;
    }

    private sealed class ContentRow
    {
        public byte[] SealedPayload { get; set; } = [];
        public byte[]? SealedKey { get; set; }
        public long? ShreddedAt { get; set; }
    }

    private sealed class SubmissionRow
    {
        public string Id { get; set; } = "";
        public long ListId { get; set; }
        public string Kind { get; set; } = "";
        public string MessageId { get; set; } = "";
        public long CreatedAt { get; set; }
        public long SendAt { get; set; }
        public long? FinishedAt { get; set; }
        public string? SigningFingerprint { get; set; }
        public long? CancelledAt { get; set; }
        public string? ContentMac { get; set; }
        public string? RequestMac { get; set; }
        public long? ShreddedAt { get; set; }

        public Submission ToSubmission() => new(Id, ListId, MessageId, Time.FromDb(CreatedAt), Time.FromDb(SendAt))
        {
            Kind = Enum.Parse<SubmissionKind>(Kind, ignoreCase: true),
            FinishedAt = Time.FromDb(FinishedAt),
            SigningFingerprint = SigningFingerprint is null ? null : new Keys.Fingerprint(SigningFingerprint),
            CancelledAt = Time.FromDb(CancelledAt),
            ContentMac = ContentMac,
            RequestMac = RequestMac,
            ShreddedAt = Time.FromDb(ShreddedAt),
        };
    }
}
