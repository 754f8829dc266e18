using Dapper;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Storage;

public sealed class MemberStore(Database database)
{
    private const string Columns = "id, list_id, email, fingerprint, public_key, key_expires_at, is_admin, wants_digest, is_note_taker, added_at";

    public async Task<Member> InsertAsync(long listId, string email, Fingerprint fingerprint, byte[] publicKey,
        DateTimeOffset? keyExpiresAt, bool isAdmin, bool isNoteTaker, DateTimeOffset addedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(
                $"""
                INSERT INTO members (list_id, email, email_key, fingerprint, public_key, key_expires_at, is_admin, is_note_taker, added_at)
                VALUES (@listId, @email, @emailKey, @fingerprint, @publicKey, @keyExpiresAt, @isAdmin, @isNoteTaker, @addedAt) RETURNING id
                """,
                new
                {
                    listId, email, emailKey = EmailKey(email), fingerprint = fingerprint.Hex, publicKey,
                    keyExpiresAt = Time.ToDb(keyExpiresAt), isAdmin = isAdmin ? 1 : 0, isNoteTaker = isNoteTaker ? 1 : 0, addedAt = Time.ToDb(addedAt),
                });
            return new Member(id, listId, email, fingerprint, publicKey, keyExpiresAt, isAdmin, addedAt) { IsNoteTaker = isNoteTaker };
        }
        catch (System.Data.Common.DbException ex) when (UniqueViolation.Is(ex))
        {
            throw new UserFacingException($"{email} is already a member of this list (remove them first to change their key)");
        }
    }

    public async Task<Member?> FindAsync(long listId, string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(
            $"SELECT {Columns} FROM members WHERE list_id = @listId AND email_key = @emailKey", new { listId, emailKey = EmailKey(email) });
        return row?.ToMember();
    }

    public async Task<IReadOnlyList<Member>> ListAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MemberRow>($"SELECT {Columns} FROM members WHERE list_id = @listId ORDER BY email_key", new { listId });
        return rows.Select(r => r.ToMember()).ToList();
    }

    public async Task<IReadOnlyList<Member>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var result = new List<Member>(ids.Count);
        // Chunks keep the parameter count under SQLite's limit.
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await connection.QueryAsync<MemberRow>($"SELECT {Columns} FROM members WHERE {database.Dialect.InList("id", "@chunk")}", new { chunk });
            result.AddRange(rows.Select(r => r.ToMember()));
        }

        return result;
    }

    public async Task<bool> RemoveAsync(long listId, string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM members WHERE list_id = @listId AND email_key = @emailKey",
            new { listId, emailKey = EmailKey(email) }) > 0;
    }

    public async Task<bool> SetFlagsAsync(long listId, string email, bool? isAdmin, bool? wantsDigest, bool? isNoteTaker = null,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE members SET is_admin = COALESCE(@isAdmin, is_admin), wants_digest = COALESCE(@wantsDigest, wants_digest),
                is_note_taker = COALESCE(@isNoteTaker, is_note_taker)
            WHERE list_id = @listId AND email_key = @emailKey
            """,
            new { listId, emailKey = EmailKey(email), isAdmin = Flag(isAdmin), wantsDigest = Flag(wantsDigest), isNoteTaker = Flag(isNoteTaker) }) == 1;
    }

    /// <summary>Pins a member to another certificate (a new key, or a newer copy of the same one).</summary>
    public async Task ReplaceKeyAsync(long memberId, Fingerprint fingerprint, byte[] publicKey, DateTimeOffset? keyExpiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE members SET fingerprint = @fingerprint, public_key = @publicKey, key_expires_at = @keyExpiresAt WHERE id = @memberId",
            new { memberId, fingerprint = fingerprint.Hex, publicKey, keyExpiresAt = Time.ToDb(keyExpiresAt) });
    }

    private static long? Flag(bool? value) => value is null ? null : value.Value ? 1 : 0;

    /// <summary>Addresses are compared case-insensitively, as the issue asks for user ids too.</summary>
    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    private sealed class MemberRow
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public string Email { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public long? KeyExpiresAt { get; set; }
        public long IsAdmin { get; set; }
        public long WantsDigest { get; set; }
        public long IsNoteTaker { get; set; }
        public long AddedAt { get; set; }

        public Member ToMember() => new(Id, ListId, Email, new Fingerprint(Fingerprint), PublicKey, Time.FromDb(KeyExpiresAt), IsAdmin != 0, Time.FromDb(AddedAt))
        {
            WantsDigest = WantsDigest != 0,
            IsNoteTaker = IsNoteTaker != 0,
        };
    }
}
