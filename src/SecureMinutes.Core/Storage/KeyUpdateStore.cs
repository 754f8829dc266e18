using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.SelfService;

namespace SecureMinutes.Storage;

/// <summary>
/// Members' key changes waiting for confirmation (<see cref="KeyUpdate"/>), found by the SHA-256 of either confirmation token.
/// The new key and its fingerprint are sealed like a member's (<see cref="Secrets.DirectorySealing"/>, bound to the member's row).
/// </summary>
public sealed class KeyUpdateStore(Database database, Secrets.DirectorySealing sealing)
{
    private const string Columns = "id, member_id, fingerprint, public_key, old_token_hash, new_confirmed_at, old_confirmed_at, source, created_at, expires_at, from_fingerprint";

    /// <summary>
    /// Stores a request (replacing any earlier one of the member: the newest key given wins) and its audit line, in one transaction.
    /// <see cref="KeyUpdate.OldConfirmedAt"/> is stored as given: set when the request itself proved the old key (a signed mail).
    /// </summary>
    public async Task<KeyUpdate> AddAsync(KeyUpdate update, string newTokenHash, string? oldTokenHash, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM key_updates WHERE member_id = @MemberId", new { update.MemberId }, transaction);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO key_updates (member_id, fingerprint, public_key, new_token_hash, old_token_hash, old_confirmed_at, source, created_at, expires_at, from_fingerprint)
            VALUES (@MemberId, @fingerprint, @PublicKey, @newTokenHash, @oldTokenHash, @oldConfirmedAt, @Source, @createdAt, @expiresAt, @fromFingerprint) RETURNING id
            """,
            new
            {
                update.MemberId, fingerprint = sealing.Seal(update.Fingerprint.Hex, Purpose(update.MemberId, "fingerprint")),
                PublicKey = sealing.SealBytes(update.PublicKey, Purpose(update.MemberId, "public_key")), newTokenHash, oldTokenHash, update.Source,
                oldConfirmedAt = Time.ToDb(update.OldConfirmedAt), createdAt = Time.ToDb(update.CreatedAt), expiresAt = Time.ToDb(update.ExpiresAt),
                fromFingerprint = update.From is { } from ? sealing.Seal(from.Hex, Purpose(update.MemberId, "from_fingerprint")) : null,
            }, transaction);
        await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        await transaction.CommitAsync(cancellationToken);
        return update with { Id = id };
    }

    /// <summary>
    /// Records the confirmation a token gives (the new key's or the old key's), once: one conditional UPDATE, so a link
    /// opened twice counts once. Returns the request as it stands then, or null for an unknown, used or expired token.
    /// </summary>
    public async Task<KeyUpdate?> ConfirmAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var at = Time.ToDb(now);
        var changed = await connection.ExecuteAsync(
            "UPDATE key_updates SET new_confirmed_at = @at WHERE new_token_hash = @tokenHash AND new_confirmed_at IS NULL AND expires_at > @at", new { tokenHash, at })
            + await connection.ExecuteAsync(
            "UPDATE key_updates SET old_confirmed_at = @at WHERE old_token_hash = @tokenHash AND old_confirmed_at IS NULL AND expires_at > @at", new { tokenHash, at });
        if (changed == 0)
        {
            return null;
        }

        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM key_updates WHERE new_token_hash = @tokenHash OR old_token_hash = @tokenHash",
            new { tokenHash }))?.ToUpdate(sealing);
    }

    public async Task<KeyUpdate?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM key_updates WHERE id = @id", new { id }))?.ToUpdate(sealing);
    }

    /// <summary>The requests with the given ids (the recipients of their challenges).</summary>
    public async Task<IReadOnlyList<KeyUpdate>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>($"SELECT {Columns} FROM key_updates WHERE {database.Dialect.InList("id", "@ids")}", new { ids = ids.ToList() }))
            .Select(r => r.ToUpdate(sealing)).ToList();
    }

    /// <summary>The list's requests whose new key is proven and whose old key could not confirm: waiting for an admin.</summary>
    public async Task<IReadOnlyList<KeyUpdate>> AwaitingAdminAsync(long listId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(
                $"""
                SELECT {Columns} FROM key_updates
                WHERE member_id IN (SELECT id FROM members WHERE list_id = @listId)
                  AND new_confirmed_at IS NOT NULL AND old_token_hash IS NULL AND expires_at > @now ORDER BY id
                """, new { listId, now = Time.ToDb(now) }))
            .Select(r => r.ToUpdate(sealing)).ToList();
    }

    /// <summary>Deletes a request (done, refused); false when it was gone already.</summary>
    public async Task<bool> DeleteAsync(long id, AuditEntry? audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM key_updates WHERE id = @id", new { id }, transaction) == 1;
        if (deleted && audit is not null)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Deletes expired requests; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM key_updates WHERE expires_at <= @now", new { now = Time.ToDb(now) });
    }

    private static string Purpose(long memberId, string column) => $"key_updates/{memberId}/{column}";

    private sealed class Row
    {
        public long Id { get; set; }
        public long MemberId { get; set; }
        public string Fingerprint { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public string? OldTokenHash { get; set; }
        public long? NewConfirmedAt { get; set; }
        public long? OldConfirmedAt { get; set; }
        public string Source { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public string? FromFingerprint { get; set; }

        public KeyUpdate ToUpdate(Secrets.DirectorySealing sealing) => new(Id, MemberId, new Keys.Fingerprint(sealing.Open(Fingerprint, Purpose(MemberId, "fingerprint"))),
            sealing.OpenBytes(PublicKey, Purpose(MemberId, "public_key")), OldTokenHash is not null, Time.FromDb(NewConfirmedAt),
            Time.FromDb(OldConfirmedAt), Source, Time.FromDb(CreatedAt), Time.FromDb(ExpiresAt))
        {
            From = FromFingerprint is null ? null : new Keys.Fingerprint(sealing.Open(FromFingerprint, Purpose(MemberId, "from_fingerprint"))),
        };
    }
}
