using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

public sealed class ListStore(Database database, DirectorySealing sealing)
{
    private const string Columns = "id, name, address, display_name, fingerprint, public_key, created_at, rate_per_minute, daily_cap, "
        + "redistribute_last, digest_cron, paused_reason, paused_at, require_verified, key_revoked_at, language, key_summary";

    public async Task<MailingList> InsertAsync(string name, string address, string displayName, Fingerprint fingerprint,
        byte[] publicKey, byte[] sealedSecretKey, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO lists (name, address, display_name, fingerprint, public_key, sealed_secret_key, created_at)
                VALUES (@name, @address, @displayName, @fingerprint, @publicKey, @sealedSecretKey, @createdAt) RETURNING id
                """,
                new { name, address, displayName, fingerprint = fingerprint.Hex, publicKey, sealedSecretKey, createdAt = Time.ToDb(createdAt) });
            return new MailingList(id, name, address, displayName, fingerprint, publicKey, createdAt);
        }
        catch (System.Data.Common.DbException ex) when (UniqueViolation.Is(ex))
        {
            throw new UserFacingException($"a list named '{name}' already exists");
        }
    }

    public async Task<MailingList?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ListRow>(
            $"SELECT {Columns} FROM lists WHERE name = @name", new { name });
        return row?.ToList();
    }

    public async Task<MailingList> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(name, cancellationToken) ?? throw new UserFacingException($"no list named '{name}' (see: secureminutes list create)");

    public async Task<MailingList> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ListRow>(
            $"SELECT {Columns} FROM lists WHERE id = @id", new { id });
        return row.ToList();
    }

    public async Task<IReadOnlyList<MailingList>> AllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ListRow>(
            $"SELECT {Columns} FROM lists ORDER BY name");
        return rows.Select(r => r.ToList()).ToList();
    }

    public async Task<byte[]> GetSealedSecretKeyAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]>("SELECT sealed_secret_key FROM lists WHERE id = @listId", new { listId })
            ?? throw new InvalidOperationException($"List {listId} has no secret key.");
    }

    public async Task UpdateSettingsAsync(long listId, int? ratePerMinute, int? dailyCap, int redistributeLast, string? digestCron,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE lists SET rate_per_minute = @ratePerMinute, daily_cap = @dailyCap, redistribute_last = @redistributeLast, digest_cron = @digestCron WHERE id = @listId",
            new { listId, ratePerMinute, dailyCap, redistributeLast, digestCron });
    }

    /// <summary>The language of the list's notices, AG template and summaries (<c>list set --language</c>; stored as its two-letter code).</summary>
    public async Task SetLanguageAsync(long listId, ListLanguage language, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET language = @language WHERE id = @listId", new { listId, language = language.Code() });
    }

    /// <summary>The list's own AG template, sealed; null puts the built-in one back.</summary>
    public async Task SetSealedTemplateAsync(long listId, byte[]? sealedTemplate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET sealed_template = @sealedTemplate WHERE id = @listId", new { listId, sealedTemplate });
    }

    public async Task<byte[]?> GetSealedTemplateAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>("SELECT sealed_template FROM lists WHERE id = @listId", new { listId });
    }

    /// <summary>The pad the last <c>prepare</c> made, sealed; null when the last one wrote a draft file instead.</summary>
    public async Task SetSealedPreparedPadAsync(long listId, byte[]? sealedPad, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET sealed_prepared_pad = @sealedPad WHERE id = @listId", new { listId, sealedPad });
    }

    public async Task<byte[]?> GetSealedPreparedPadAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>("SELECT sealed_prepared_pad FROM lists WHERE id = @listId", new { listId });
    }

    /// <summary>Pauses sending; returns false if the list was already paused (so admins are told once).</summary>
    public async Task<bool> PauseAsync(long listId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE lists SET paused_reason = @reason, paused_at = @now WHERE id = @listId AND paused_reason IS NULL",
            new { listId, reason, now = Time.ToDb(now) }) == 1;
    }

    public async Task<bool> ResumeAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE lists SET paused_reason = NULL, paused_at = NULL WHERE id = @listId AND paused_reason IS NOT NULL",
            new { listId }) == 1;
    }

    public async Task SetRequireVerifiedAsync(long listId, bool required, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET require_verified = @required WHERE id = @listId",
            new { listId, required = required ? 1 : 0 }, transaction);
        await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stores the list key with its revocation signature; the list sends nothing more until rotated.</summary>
    public async Task<bool> RevokeKeyAsync(long listId, Fingerprint fingerprint, byte[] revokedPublicKey, DateTimeOffset at, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE lists SET public_key = @revokedPublicKey, key_revoked_at = @at, key_summary = NULL WHERE id = @listId AND fingerprint = @fingerprint AND key_revoked_at IS NULL",
            new { listId, fingerprint = fingerprint.Hex, revokedPublicKey, at = Time.ToDb(at) }, transaction) == 1;
        if (changed)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// Makes <paramref name="newFingerprint"/> the list's key and keeps the previous one (public key and sealed
    /// secret) in <c>list_keys</c>, in one transaction. False if the list's key changed meanwhile.
    /// </summary>
    public async Task<bool> RotateKeyAsync(MailingList list, Fingerprint newFingerprint, byte[] newPublicKey, byte[] newSealedSecretKey,
        DateTimeOffset now, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var retired = await connection.ExecuteAsync(
            """
            INSERT INTO list_keys (list_id, fingerprint, public_key, sealed_secret_key, created_at, retired_at)
            SELECT id, fingerprint, public_key, sealed_secret_key, created_at, @now FROM lists WHERE id = @listId AND fingerprint = @fingerprint
            """,
            new { listId = list.Id, fingerprint = list.KeyFingerprint.Hex, now = Time.ToDb(now) }, transaction);
        if (retired != 1)
        {
            return false;
        }

        await connection.ExecuteAsync(
            """
            UPDATE lists SET fingerprint = @newFingerprint, public_key = @newPublicKey, sealed_secret_key = @newSealedSecretKey,
                key_revoked_at = NULL, key_summary = NULL WHERE id = @listId
            """,
            new { listId = list.Id, newFingerprint = newFingerprint.Hex, newPublicKey, newSealedSecretKey }, transaction);
        await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores the judgement of the list's key (<see cref="KeySummary.Of"/>), only if the list still holds exactly
    /// <paramref name="publicKey"/>, the key judged: a rotation or revocation meanwhile is never given a stale judgement.
    /// </summary>
    public async Task SaveKeySummaryAsync(long listId, byte[] publicKey, KeySummary summary, CancellationToken cancellationToken = default)
    {
        if (!summary.IsFor(publicKey))
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE lists SET key_summary = @json WHERE id = @listId AND public_key = @publicKey",
            new { listId, publicKey, json = summary.ToJson() });
    }

    /// <summary>The list's earlier keys, oldest first: members keep them to verify mail signed before a rotation.</summary>
    public async Task<IReadOnlyList<(Fingerprint Fingerprint, byte[] PublicKey, DateTimeOffset RetiredAt)>> RetiredKeysAsync(long listId,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Fingerprint, byte[] PublicKey, long RetiredAt)>(
            "SELECT fingerprint, public_key, retired_at FROM list_keys WHERE list_id = @listId ORDER BY retired_at", new { listId });
        return rows.Select(r => (new Fingerprint(r.Fingerprint), r.PublicKey, Time.FromDb(r.RetiredAt))).ToList();
    }

    public async Task<byte[]?> RetiredSealedSecretKeyAsync(long listId, Fingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>("SELECT sealed_secret_key FROM list_keys WHERE list_id = @listId AND fingerprint = @fingerprint",
            new { listId, fingerprint = fingerprint.Hex });
    }

    private sealed class ListRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public long CreatedAt { get; set; }
        public long? RatePerMinute { get; set; }
        public long? DailyCap { get; set; }
        public long RedistributeLast { get; set; }
        public string? DigestCron { get; set; }
        public string? PausedReason { get; set; }
        public long? PausedAt { get; set; }
        public long RequireVerified { get; set; }
        public long? KeyRevokedAt { get; set; }
        public string? Language { get; set; }
        public string? KeySummary { get; set; }

        public MailingList ToList() => new(Id, Name, Address, DisplayName, new Fingerprint(Fingerprint), PublicKey, Time.FromDb(CreatedAt))
        {
            RatePerMinute = (int?)RatePerMinute,
            DailyCap = (int?)DailyCap,
            RedistributeLast = (int)RedistributeLast,
            DigestCron = DigestCron,
            PausedReason = PausedReason,
            PausedAt = Time.FromDb(PausedAt),
            RequireVerified = RequireVerified != 0,
            KeyRevokedAt = Time.FromDb(KeyRevokedAt),
            KeySummary = Keys.KeySummary.FromJson(KeySummary),
            Language = ListLanguages.FromCode(Language),
        };
    }
}
