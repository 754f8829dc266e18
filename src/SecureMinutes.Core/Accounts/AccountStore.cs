using Dapper;
using Microsoft.AspNetCore.Identity;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>
/// Accounts in our own database (SQLite or PostgreSQL, through Dapper), behind the store contracts ASP.NET Core
/// Identity's <see cref="UserManager{TUser}"/> uses: so the password hasher, lockout, TOTP and passkeys are
/// Identity's own code, and only storage is ours. The e-mail address is the user name. Identity mutates the
/// <see cref="Account"/> and then calls <see cref="UpdateAsync"/>, which writes every column at once.
/// This file: the account itself; the partial files add sign-in state and passkeys.
/// </summary>
public sealed partial class AccountStore(Database database, Vault vault, TimeProvider time) :
    IUserEmailStore<Account>, IUserPasswordStore<Account>, IUserSecurityStampStore<Account>
{
    private const string Columns = "id, email, normalized_email, password_hash, security_stamp, is_installation_admin, lockout_end, "
        + "access_failed_count, two_factor_enabled, sealed_authenticator_key, created_at";

    public async Task<IdentityResult> CreateAsync(Account user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        user.CreatedAt = time.GetUtcNow();
        try
        {
            user.Id = await connection.ExecuteScalarAsync<long>(
                $"""
                INSERT INTO accounts (email, normalized_email, password_hash, security_stamp, is_installation_admin, lockout_end,
                    access_failed_count, two_factor_enabled, created_at)
                VALUES (@Email, @NormalizedEmail, @PasswordHash, @SecurityStamp, @admin, @lockoutEnd, @AccessFailedCount, @twoFactor, @createdAt)
                RETURNING id
                """,
                new
                {
                    user.Email, user.NormalizedEmail, user.PasswordHash, user.SecurityStamp, admin = user.IsInstallationAdmin ? 1 : 0,
                    lockoutEnd = Time.ToDb(user.LockoutEnd), user.AccessFailedCount, twoFactor = user.TwoFactorEnabled ? 1 : 0,
                    createdAt = Time.ToDb(user.CreatedAt),
                });
        }
        catch (System.Data.Common.DbException ex) when (UniqueViolation.Is(ex))
        {
            return IdentityResult.Failed(new IdentityError { Code = "DuplicateEmail", Description = $"an account for {user.Email} already exists" });
        }

        if (user.AuthenticatorKey is not null)
        {
            await UpdateAsync(user, cancellationToken);
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(Account user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE accounts SET email = @Email, normalized_email = @NormalizedEmail, password_hash = @PasswordHash, security_stamp = @SecurityStamp,
                is_installation_admin = @admin, lockout_end = @lockoutEnd, access_failed_count = @AccessFailedCount,
                two_factor_enabled = @twoFactor, sealed_authenticator_key = @sealedKey
            WHERE id = @Id
            """,
            new
            {
                user.Id, user.Email, user.NormalizedEmail, user.PasswordHash, user.SecurityStamp, admin = user.IsInstallationAdmin ? 1 : 0,
                lockoutEnd = Time.ToDb(user.LockoutEnd), user.AccessFailedCount, twoFactor = user.TwoFactorEnabled ? 1 : 0,
                sealedKey = user.AuthenticatorKey is null ? null : vault.Box.Seal(System.Text.Encoding.UTF8.GetBytes(user.AuthenticatorKey), AuthenticatorPurpose(user.Id)),
            });
        return changed == 1 ? IdentityResult.Success : IdentityResult.Failed(new IdentityError { Code = "Gone", Description = "the account no longer exists" });
    }

    public async Task<IdentityResult> DeleteAsync(Account user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM accounts WHERE id = @Id", new { user.Id });
        return IdentityResult.Success;
    }

    public async Task<Account?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        long.TryParse(userId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? await FindAsync("id = @id", new { id }, cancellationToken)
            : null;

    public Task<Account?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindAsync("normalized_email = @normalizedUserName", new { normalizedUserName }, cancellationToken);

    public Task<Account?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindByNameAsync(normalizedEmail, cancellationToken);

    /// <summary>Every account, by address (<c>user list</c>).</summary>
    public async Task<IReadOnlyList<Account>> AllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccountRow>($"SELECT {Columns} FROM accounts ORDER BY normalized_email");
        return rows.Select(ToAccount).ToList();
    }

    private async Task<Account?> FindAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE {where}", parameters);
        return row is null ? null : ToAccount(row);
    }

    private Account ToAccount(AccountRow row) => new()
    {
        Id = row.Id,
        Email = row.Email,
        NormalizedEmail = row.NormalizedEmail,
        PasswordHash = row.PasswordHash,
        SecurityStamp = row.SecurityStamp,
        IsInstallationAdmin = row.IsInstallationAdmin != 0,
        LockoutEnd = Time.FromDb(row.LockoutEnd),
        AccessFailedCount = (int)row.AccessFailedCount,
        TwoFactorEnabled = row.TwoFactorEnabled != 0,
        AuthenticatorKey = row.SealedAuthenticatorKey is null ? null
            : System.Text.Encoding.UTF8.GetString(vault.Box.Open(row.SealedAuthenticatorKey, AuthenticatorPurpose(row.Id))),
        CreatedAt = Time.FromDb(row.CreatedAt),
    };

    private static string AuthenticatorPurpose(long accountId) => $"account-authenticator-key:{accountId}";

    public Task<string> GetUserIdAsync(Account user, CancellationToken cancellationToken) =>
        Task.FromResult(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(Account user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(Account user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public Task SetEmailAsync(Account user, string? email, CancellationToken cancellationToken) => SetUserNameAsync(user, email, cancellationToken);

    public Task<string?> GetEmailAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    /// <summary>Accounts are made by an admin for an address they know; an invitation link proves it on first use.</summary>
    public Task<bool> GetEmailConfirmedAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(Account user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(Account user, string? normalizedEmail, CancellationToken cancellationToken) =>
        SetNormalizedUserNameAsync(user, normalizedEmail, cancellationToken);

    public Task SetPasswordHashAsync(Account user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(Account user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public void Dispose()
    {
    }

    private sealed class AccountRow
    {
        public long Id { get; set; }
        public string Email { get; set; } = "";
        public string NormalizedEmail { get; set; } = "";
        public string? PasswordHash { get; set; }
        public string SecurityStamp { get; set; } = "";
        public long IsInstallationAdmin { get; set; }
        public long? LockoutEnd { get; set; }
        public long AccessFailedCount { get; set; }
        public long TwoFactorEnabled { get; set; }
        public byte[]? SealedAuthenticatorKey { get; set; }
        public long CreatedAt { get; set; }
    }
}
