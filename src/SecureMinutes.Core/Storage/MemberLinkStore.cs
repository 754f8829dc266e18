using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// Members' personal links (<c>member_links</c>): each row the SHA-256 of a token (for lookup) and the token sealed by
/// the vault (for the next mails that carry it), with its expiry. A member's links all go at once when one is used.
/// </summary>
public sealed class MemberLinkStore(Database database)
{
    /// <summary>A stored link: whose, its hash and sealed token, and until when it works.</summary>
    public sealed record StoredLink(long MemberId, string TokenHash, byte[] SealedToken, DateTimeOffset ExpiresAt);

    /// <summary>The newest link of each of <paramref name="memberIds"/> still valid after <paramref name="validAfter"/> (one query).</summary>
    public async Task<IReadOnlyDictionary<long, StoredLink>> NewestAsync(IReadOnlyCollection<long> memberIds, DateTimeOffset validAfter,
        CancellationToken cancellationToken = default)
    {
        if (memberIds.Count == 0)
        {
            return new Dictionary<long, StoredLink>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT member_id, token_hash, sealed_token, expires_at FROM member_links WHERE member_id IN ({string.Join(',', memberIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)))}) AND expires_at > @validAfter",
            new { validAfter = Time.ToDb(validAfter) });
        return rows.Select(r => new StoredLink(r.MemberId, r.TokenHash, r.SealedToken, Time.FromDb(r.ExpiresAt)))
            .GroupBy(l => l.MemberId)
            .ToDictionary(g => g.Key, g => g.MaxBy(l => l.ExpiresAt)!);
    }

    /// <summary>Stores new links, all in one transaction (a batch's, not one write per copy).</summary>
    public async Task AddManyAsync(IReadOnlyList<StoredLink> links, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        if (links.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO member_links (member_id, token_hash, sealed_token, created_at, expires_at) VALUES (@MemberId, @TokenHash, @SealedToken, @createdAt, @expiresAt)",
            links.Select(l => new { l.MemberId, l.TokenHash, l.SealedToken, createdAt = Time.ToDb(createdAt), expiresAt = Time.ToDb(l.ExpiresAt) }), transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The member an unexpired link belongs to, or null.</summary>
    public async Task<long?> FindMemberAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT member_id FROM member_links WHERE token_hash = @tokenHash AND expires_at > @now",
            new { tokenHash, now = Time.ToDb(now) });
    }

    /// <summary>
    /// Uses a link: deletes every link of its member (the next mail carries a new one) in one statement, so two taps at
    /// once use it once. Returns the member's id, or null when the link was unknown, expired or used meanwhile.
    /// </summary>
    public async Task<long?> UseAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var memberId = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT member_id FROM member_links WHERE token_hash = @tokenHash AND expires_at > @now", new { tokenHash, now = Time.ToDb(now) }, transaction);
        // The link's own row goes first and only one caller deletes it: the other sees 0 rows and gets nothing.
        if (memberId is null || await connection.ExecuteAsync("DELETE FROM member_links WHERE token_hash = @tokenHash", new { tokenHash }, transaction) != 1)
        {
            return null;
        }

        await connection.ExecuteAsync("DELETE FROM member_links WHERE member_id = @memberId", new { memberId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return memberId;
    }

    /// <summary>Deletes expired links; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM member_links WHERE expires_at <= @now", new { now = Time.ToDb(now) });
    }

    private sealed class Row
    {
        public long MemberId { get; set; }
        public string TokenHash { get; set; } = "";
        public byte[] SealedToken { get; set; } = [];
        public long ExpiresAt { get; set; }
    }
}
