using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Storage;

public sealed class MemberStore(Database database)
{
    private const string Columns = "id, list_id, email, fingerprint, public_key, key_expires_at, is_admin, wants_digest, is_note_taker, added_at, "
        + "verified_fingerprint, verified_at, verified_by, key_summary";

    public async Task<Member> InsertAsync(long listId, string email, Fingerprint fingerprint, byte[] publicKey,
        DateTimeOffset? keyExpiresAt, bool isAdmin, DateTimeOffset addedAt, CancellationToken cancellationToken = default) =>
        (await InsertManyAsync([new Member(0, listId, email, fingerprint, publicKey, keyExpiresAt, isAdmin, addedAt)], [], cancellationToken))[0];

    /// <summary>
    /// Adds members (a bulk import adds hundreds) and their audit entries in one transaction: all or none.
    /// A member given with <see cref="Member.VerifiedFingerprint"/> is stored verified.
    /// </summary>
    public async Task<IReadOnlyList<Member>> InsertManyAsync(IReadOnlyList<Member> newMembers, IReadOnlyList<AuditEntry> audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = new List<Member>(newMembers.Count);
        foreach (var member in newMembers)
        {
            try
            {
                var id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO members (list_id, email, email_key, fingerprint, public_key, key_expires_at, is_admin, is_note_taker, added_at,
                        verified_fingerprint, verified_at, verified_by, key_summary)
                    VALUES (@ListId, @Email, @emailKey, @fingerprint, @PublicKey, @keyExpiresAt, @isAdmin, @isNoteTaker, @addedAt,
                        @verifiedFingerprint, @verifiedAt, @VerifiedBy, @keySummary) RETURNING id
                    """,
                    new
                    {
                        member.ListId, member.Email, emailKey = EmailKey(member.Email), fingerprint = member.Fingerprint.Hex, member.PublicKey,
                        keyExpiresAt = Time.ToDb(member.KeyExpiresAt), isAdmin = member.IsAdmin ? 1 : 0, isNoteTaker = member.IsNoteTaker ? 1 : 0, addedAt = Time.ToDb(member.AddedAt),
                        verifiedFingerprint = member.VerifiedFingerprint?.Hex, verifiedAt = Time.ToDb(member.VerifiedAt), member.VerifiedBy,
                        keySummary = SummaryFor(member.KeySummary, member.PublicKey),
                    },
                    transaction);
                inserted.Add(member with { Id = id });
            }
            catch (System.Data.Common.DbException ex) when (UniqueViolation.Is(ex))
            {
                throw new UserFacingException($"{member.Email} is already a member of this list");
            }
        }

        foreach (var entry in audit)
        {
            await AuditStore.InsertAsync(connection, transaction, entry);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
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

    public async Task<bool> RemoveAsync(long listId, string email, AuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await connection.ExecuteAsync("DELETE FROM members WHERE list_id = @listId AND email_key = @emailKey",
            new { listId, emailKey = EmailKey(email) }, transaction) > 0;
        if (removed && audit is not null)
        {
            await AuditStore.InsertAsync(connection, transaction, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return removed;
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

    /// <summary>
    /// Pins a member to another certificate (a new key, or a newer copy of the same one) and logs it, only if
    /// the member still holds <paramref name="expectedKey"/>: a refresh and an admin's import never overwrite
    /// each other's result. Returns false when the stored key changed meanwhile.
    /// </summary>
    /// <param name="summary">The new key's judgement (<see cref="KeySummary.Of"/>); without it the key is judged again when next read.</param>
    public async Task<bool> UpdateKeyAsync(long memberId, byte[] expectedKey, Fingerprint fingerprint, byte[] publicKey, DateTimeOffset? keyExpiresAt,
        AuditEntry audit, KeySummary? summary, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE members SET fingerprint = @fingerprint, public_key = @publicKey, key_expires_at = @keyExpiresAt, key_summary = @keySummary
            WHERE id = @memberId AND public_key = @expectedKey
            """,
            new
            {
                memberId, expectedKey, fingerprint = fingerprint.Hex, publicKey, keyExpiresAt = Time.ToDb(keyExpiresAt),
                keySummary = SummaryFor(summary, publicKey),
            }, transaction) == 1;
        if (changed)
        {
            await AuditStore.InsertAsync(connection, transaction, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Records that an admin confirmed the pinned key's fingerprint; false if another key is pinned now.</summary>
    public async Task<bool> SetVerifiedAsync(long memberId, Fingerprint fingerprint, DateTimeOffset at, string by, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE members SET verified_fingerprint = @fingerprint, verified_at = @at, verified_by = @by WHERE id = @memberId AND fingerprint = @fingerprint",
            new { memberId, fingerprint = fingerprint.Hex, at = Time.ToDb(at), by }, transaction) == 1;
        if (changed)
        {
            await AuditStore.InsertAsync(connection, transaction, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// Stores the judgements of members' keys (the daily key job, or a listing that judged keys not judged yet), each
    /// only if that member's key is still the one judged.
    /// </summary>
    public async Task SaveKeySummariesAsync(IReadOnlyList<(long MemberId, byte[] PublicKey, KeySummary Summary)> judged, CancellationToken cancellationToken = default)
    {
        if (judged.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (memberId, publicKey, summary) in judged)
        {
            await connection.ExecuteAsync("UPDATE members SET key_summary = @keySummary WHERE id = @memberId AND public_key = @publicKey",
                new { memberId, publicKey, keySummary = SummaryFor(summary, publicKey) }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A summary is stored only with the very key it judged.</summary>
    private static string? SummaryFor(KeySummary? summary, byte[] publicKey) => summary is not null && summary.IsFor(publicKey) ? summary.ToJson() : null;

    private static long? Flag(bool? value) => value is null ? null : value.Value ? 1 : 0;

    /// <summary>Addresses are compared case-insensitively, as the issue asks for user ids too.</summary>
    /// <summary>How members are told apart: one key for every spelling of an address (case, punycode or Unicode domain).</summary>
    public static string EmailKey(string email) => EmailAddress.Canonical(email);

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
        public string? VerifiedFingerprint { get; set; }
        public long? VerifiedAt { get; set; }
        public string? VerifiedBy { get; set; }
        public string? KeySummary { get; set; }

        public Member ToMember() => new(Id, ListId, Email, new Fingerprint(Fingerprint), PublicKey, Time.FromDb(KeyExpiresAt), IsAdmin != 0, Time.FromDb(AddedAt))
        {
            WantsDigest = WantsDigest != 0,
            IsNoteTaker = IsNoteTaker != 0,
            VerifiedFingerprint = VerifiedFingerprint is null ? null : new Fingerprint(VerifiedFingerprint),
            VerifiedAt = Time.FromDb(VerifiedAt),
            VerifiedBy = VerifiedBy,
            KeySummary = Keys.KeySummary.FromJson(KeySummary),
        };
    }
}
