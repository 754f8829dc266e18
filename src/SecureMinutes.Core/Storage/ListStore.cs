using Dapper;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Storage;

public sealed class ListStore(Database database)
{
    private const string Columns = "id, name, address, display_name, fingerprint, public_key, created_at, rate_per_minute, daily_cap, "
        + "redistribute_last, digest_cron, paused_reason, paused_at";

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

        public MailingList ToList() => new(Id, Name, Address, DisplayName, new Fingerprint(Fingerprint), PublicKey, Time.FromDb(CreatedAt))
        {
            RatePerMinute = (int?)RatePerMinute,
            DailyCap = (int?)DailyCap,
            RedistributeLast = (int)RedistributeLast,
            DigestCron = DigestCron,
            PausedReason = PausedReason,
            PausedAt = Time.FromDb(PausedAt),
        };
    }
}
