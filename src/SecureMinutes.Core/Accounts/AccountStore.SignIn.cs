using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace SecureMinutes.Accounts;

/// <summary>Sign-in state Identity keeps per account: failed attempts and lockout, TOTP, and recovery codes (stored hashed).</summary>
public sealed partial class AccountStore :
    IUserLockoutStore<Account>, IUserTwoFactorStore<Account>, IUserAuthenticatorKeyStore<Account>, IUserTwoFactorRecoveryCodeStore<Account>
{
    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(Account user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(Account user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    /// <summary>Every account can be locked out: there is no exempt service account.</summary>
    public Task<bool> GetLockoutEnabledAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(Account user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetTwoFactorEnabledAsync(Account user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetAuthenticatorKeyAsync(Account user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = key;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    public async Task ReplaceCodesAsync(Account user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM account_recovery_codes WHERE account_id = @Id", new { user.Id }, transaction);
        await connection.ExecuteAsync("INSERT INTO account_recovery_codes (account_id, code_hash) VALUES (@accountId, @codeHash)",
            recoveryCodes.Select(code => new { accountId = user.Id, codeHash = HashCode(code) }), transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Each code works once: the row is deleted by the redeeming statement itself, so two tabs cannot both use it.</summary>
    public async Task<bool> RedeemCodeAsync(Account user, string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM account_recovery_codes WHERE account_id = @Id AND code_hash = @hash",
            new { user.Id, hash = HashCode(code) }) == 1;
    }

    public async Task<int> CountCodesAsync(Account user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_recovery_codes WHERE account_id = @Id", new { user.Id });
    }

    /// <summary>Recovery codes are random (Identity makes them with 50 bits), so a plain SHA-256 is enough to keep them out of a copied database.</summary>
    private static string HashCode(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));
}
