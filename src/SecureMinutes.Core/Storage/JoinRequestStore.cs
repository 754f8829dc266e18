using Dapper;
using SecureMinutes.Joining;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;

namespace SecureMinutes.Storage;

/// <summary>
/// Join requests (<see cref="JoinRequest"/>), found by the SHA-256 of their confirmation token. The address, fingerprint and key
/// are sealed like a member's (<see cref="Secrets.DirectorySealing"/>); <c>email_index</c> is the address's blind index on the list.
/// </summary>
public sealed class JoinRequestStore(Database database, Secrets.DirectorySealing sealing)
{
    private const string Columns = "id, list_id, invite_id, email, email_index, fingerprint, public_key, key_expires_at, state, submission_id, created_at, expires_at, confirmed_at";

    /// <summary>Stores a new request (state <see cref="JoinRequestState.Challenged"/>) and its audit line in one transaction.</summary>
    public async Task<JoinRequest> AddAsync(JoinRequest request, string tokenHash, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var index = sealing.Index(request.ListId, request.Email);
        var id = await connection.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO join_requests (list_id, invite_id, email, email_index, fingerprint, public_key, key_expires_at, token_hash, state, created_at, expires_at)
            VALUES (@ListId, @InviteId, @email, @emailIndex, @fingerprint, @publicKey, @keyExpiresAt, @tokenHash, @state, @createdAt, @expiresAt) RETURNING id
            """,
            new
            {
                request.ListId, request.InviteId, email = sealing.Seal(request.Email, Purpose(index, "email")), emailIndex = index,
                fingerprint = sealing.Seal(request.Fingerprint.Hex, Purpose(index, "fingerprint")),
                publicKey = sealing.SealBytes(request.PublicKey, Purpose(index, "public_key")), keyExpiresAt = Time.ToDb(request.KeyExpiresAt),
                tokenHash, state = request.State.ToString(), createdAt = Time.ToDb(request.CreatedAt), expiresAt = Time.ToDb(request.ExpiresAt),
            }, transaction);
        await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        await transaction.CommitAsync(cancellationToken);
        return request with { Id = id };
    }

    public async Task SetSubmissionAsync(long id, string submissionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE join_requests SET submission_id = @submissionId WHERE id = @id", new { id, submissionId });
    }

    /// <summary>The unexpired request a confirmation token belongs to, or null.</summary>
    public async Task<JoinRequest?> FindByTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM join_requests WHERE token_hash = @tokenHash AND expires_at > @now",
            new { tokenHash, now = Time.ToDb(now) }))?.ToRequest(sealing);
    }

    public async Task<JoinRequest?> FindAsync(long listId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM join_requests WHERE id = @id AND list_id = @listId", new { id, listId }))?.ToRequest(sealing);
    }

    /// <summary>The list's requests waiting for an admin, oldest first.</summary>
    public async Task<IReadOnlyList<JoinRequest>> AwaitingApprovalAsync(long listId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM join_requests WHERE list_id = @listId AND state = @state AND expires_at > @now ORDER BY id",
            new { listId, state = nameof(JoinRequestState.AwaitingApproval), now = Time.ToDb(now) })).Select(r => r.ToRequest(sealing)).ToList();
    }

    /// <summary>How many requests were made since <paramref name="since"/> through one invite (rate limit per invite).</summary>
    public async Task<int> CountByInviteAsync(long inviteId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM join_requests WHERE invite_id = @inviteId AND created_at > @since",
            new { inviteId, since = Time.ToDb(since) });
    }

    /// <summary>How many requests were made since <paramref name="since"/> for one address on one list (rate limit per address).</summary>
    public async Task<int> CountByEmailAsync(long listId, string email, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM join_requests WHERE list_id = @listId AND email_index = @emailIndex AND created_at > @since",
            new { listId, emailIndex = sealing.Index(listId, email), since = Time.ToDb(since) });
    }

    /// <summary>
    /// Moves a challenged request on (to <see cref="JoinRequestState.AwaitingApproval"/>, until <paramref name="expiresAt"/>);
    /// false when another request (a second tap) moved it first.
    /// </summary>
    /// <summary>
    /// Claims a challenged request for the one tap that confirms it (one conditional UPDATE): of two taps at once, only one
    /// goes on to count a use of the invite. False when another tap claimed it first.
    /// </summary>
    public async Task<bool> TryClaimAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE join_requests SET confirmed_at = @now WHERE id = @id AND state = @challenged AND confirmed_at IS NULL",
            new { id, now = Time.ToDb(now), challenged = nameof(JoinRequestState.Challenged) }) == 1;
    }

    /// <summary>Gives a claim back (the invite closed meanwhile: the link answers so again).</summary>
    public async Task ReleaseClaimAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE join_requests SET confirmed_at = NULL WHERE id = @id AND state = @challenged",
            new { id, challenged = nameof(JoinRequestState.Challenged) });
    }

    public async Task<bool> MarkConfirmedAsync(long id, DateTimeOffset now, DateTimeOffset expiresAt, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await connection.ExecuteAsync(
            "UPDATE join_requests SET state = @awaiting, confirmed_at = @now, expires_at = @expiresAt WHERE id = @id AND state = @challenged",
            new { id, now = Time.ToDb(now), expiresAt = Time.ToDb(expiresAt), awaiting = nameof(JoinRequestState.AwaitingApproval), challenged = nameof(JoinRequestState.Challenged) },
            transaction) == 1;
        if (moved)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>
    /// Deletes a request (joined, refused, expired) with its challenge's submission and copies (they hold the address), writing
    /// <paramref name="audit"/> when given; false when it was already gone (another request took it first).
    /// </summary>
    public async Task<bool> DeleteAsync(JoinRequest request, AuditEntry? audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM join_requests WHERE id = @Id", new { request.Id }, transaction) == 1;
        if (deleted)
        {
            if (request.SubmissionId is { } submissionId)
            {
                await connection.ExecuteAsync("DELETE FROM deliveries WHERE submission_id = @submissionId", new { submissionId }, transaction);
                await connection.ExecuteAsync("DELETE FROM submissions WHERE id = @submissionId", new { submissionId }, transaction);
            }

            if (audit is not null)
            {
                await AuditStore.InsertAsync(connection, transaction, sealing, audit);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Requests past their expiry (left unconfirmed, or never approved), for the sweep that deletes them.</summary>
    public async Task<IReadOnlyList<JoinRequest>> ExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM join_requests WHERE expires_at <= @now", new { now = Time.ToDb(now) }))
            .Select(r => r.ToRequest(sealing)).ToList();
    }

    /// <summary>
    /// The people a challenge is addressed to, as <see cref="Lists.Member"/> values under <see cref="JoinRequest.RecipientId"/>
    /// (negative ids: a delivery names the request, not a member). Unknown ids are left out.
    /// </summary>
    public async Task<IReadOnlyList<Lists.Member>> RecipientsAsync(IEnumerable<long> deliveryIds, CancellationToken cancellationToken = default)
    {
        var ids = deliveryIds.Where(id => id < 0).Select(id => -id).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM join_requests WHERE {database.Dialect.InList("id", "@ids")}", new { ids });
        return rows.Select(r => JoinRecipient.Of(r.ToRequest(sealing))).ToList();
    }

    /// <summary>What a sealed join request value is bound to: the address's blind index on the list, and the column.</summary>
    internal static string Purpose(string emailIndex, string column) => $"join/{emailIndex}/{column}";

    private sealed class Row
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public long InviteId { get; set; }
        public string Email { get; set; } = "";
        public string EmailIndex { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public long? KeyExpiresAt { get; set; }
        public string State { get; set; } = "";
        public string? SubmissionId { get; set; }
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public long? ConfirmedAt { get; set; }

        public JoinRequest ToRequest(Secrets.DirectorySealing sealing) => new(Id, ListId, InviteId, sealing.Open(Email, Purpose(EmailIndex, "email")),
            new Fingerprint(sealing.Open(Fingerprint, Purpose(EmailIndex, "fingerprint"))), sealing.OpenBytes(PublicKey, Purpose(EmailIndex, "public_key")),
            Time.FromDb(KeyExpiresAt),
            Enum.Parse<JoinRequestState>(State), SubmissionId, Time.FromDb(CreatedAt), Time.FromDb(ExpiresAt), Time.FromDb(ConfirmedAt));
    }
}
