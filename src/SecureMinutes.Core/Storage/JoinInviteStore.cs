using Dapper;
using SecureMinutes.Joining;

namespace SecureMinutes.Storage;

/// <summary>Join invites (<see cref="JoinInvite"/>): found by the SHA-256 of their token; the sealed token lets admins show the link again.</summary>
public sealed class JoinInviteStore(Database database)
{
    private const string Columns = "id, list_id, created_by, created_at, expires_at, max_uses, uses, needs_approval, revoked_at";

    public async Task<JoinInvite> AddAsync(long listId, string tokenHash, byte[] sealedToken, string createdBy, DateTimeOffset now, DateTimeOffset expiresAt,
        int maxUses, bool needsApproval, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO join_invites (list_id, token_hash, sealed_token, created_by, created_at, expires_at, max_uses, needs_approval)
            VALUES (@listId, @tokenHash, @sealedToken, @createdBy, @now, @expiresAt, @maxUses, @needsApproval) RETURNING id
            """,
            new { listId, tokenHash, sealedToken, createdBy, now = Time.ToDb(now), expiresAt = Time.ToDb(expiresAt), maxUses, needsApproval = needsApproval ? 1 : 0 });
        return new JoinInvite(id, listId, createdBy, now, expiresAt, maxUses, 0, needsApproval, null);
    }

    /// <summary>The invite a token opens (whatever its state: the caller judges <see cref="JoinInvite.IsOpen"/>), or null.</summary>
    public async Task<JoinInvite?> FindByTokenAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM join_invites WHERE token_hash = @tokenHash", new { tokenHash }))?.ToInvite();
    }

    public async Task<JoinInvite?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM join_invites WHERE id = @id", new { id }))?.ToInvite();
    }

    /// <summary>The list's invites, newest first.</summary>
    public async Task<IReadOnlyList<JoinInvite>> ListAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM join_invites WHERE list_id = @listId ORDER BY id DESC", new { listId }))
            .Select(r => r.ToInvite()).ToList();
    }

    /// <summary>The token's hash and its sealed copy.</summary>
    public async Task<(string TokenHash, byte[] SealedToken)> GetSealedTokenAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(string, byte[])>("SELECT token_hash, sealed_token FROM join_invites WHERE id = @id", new { id });
    }

    /// <summary>Counts one use; false when the invite was used up, revoked or expired meanwhile (the check and the count are one statement).</summary>
    public async Task<bool> TryUseAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE join_invites SET uses = uses + 1 WHERE id = @id AND revoked_at IS NULL AND expires_at > @now AND uses < max_uses",
            new { id, now = Time.ToDb(now) }) == 1;
    }

    /// <summary>Revokes the invite; false when it is not the list's or was already revoked.</summary>
    public async Task<bool> RevokeAsync(long listId, long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE join_invites SET revoked_at = @now WHERE id = @id AND list_id = @listId AND revoked_at IS NULL",
            new { id, listId, now = Time.ToDb(now) }) == 1;
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public string CreatedBy { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public long MaxUses { get; set; }
        public long Uses { get; set; }
        public long NeedsApproval { get; set; }
        public long? RevokedAt { get; set; }

        public JoinInvite ToInvite() => new(Id, ListId, CreatedBy, Time.FromDb(CreatedAt), Time.FromDb(ExpiresAt), (int)MaxUses, (int)Uses, NeedsApproval != 0,
            Time.FromDb(RevokedAt));
    }
}
