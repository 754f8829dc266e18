using Dapper;
using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>One-time invitation links, stored by the SHA-256 of their token (a copied database holds no usable link).</summary>
public sealed class InvitationStore(Database database)
{
    public async Task AddAsync(string tokenHash, long accountId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO invitations (token_hash, account_id, created_at, expires_at) VALUES (@tokenHash, @accountId, @now, @expiresAt)",
            new { tokenHash, accountId, now = Time.ToDb(now), expiresAt = Time.ToDb(expiresAt) });
    }

    /// <summary>The account a valid (unused, unexpired) token belongs to, or null.</summary>
    public async Task<long?> FindValidAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT account_id FROM invitations WHERE token_hash = @tokenHash AND used_at IS NULL AND expires_at > @now",
            new { tokenHash, now = Time.ToDb(now) });
    }

    /// <summary>Marks the token used; true only for the one request that used it (a link works once).</summary>
    public async Task<bool> TryUseAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE invitations SET used_at = @now WHERE token_hash = @tokenHash AND used_at IS NULL AND expires_at > @now",
            new { tokenHash, now = Time.ToDb(now) }) == 1;
    }

    /// <summary>Older links of the account stop working when a new one is made.</summary>
    public async Task RevokeAllAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE invitations SET used_at = @now WHERE account_id = @accountId AND used_at IS NULL",
            new { accountId, now = Time.ToDb(now) });
    }
}
