using Dapper;
using Microsoft.AspNetCore.Identity;
using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>
/// Passkeys (WebAuthn credentials) registered by an account, as .NET 10 Identity's passkey support hands them
/// over (<see cref="UserPasskeyInfo"/>): public keys and counters only, nothing secret. Credential ids are
/// stored base64url-encoded, the form WebAuthn itself uses, so both databases index them as text.
/// </summary>
public sealed partial class AccountStore : IUserPasskeyStore<Account>
{
    private const string PasskeyColumns = "credential_id, public_key, name, created_at, sign_count, transports, is_user_verified, "
        + "is_backup_eligible, is_backed_up, attestation_object, client_data_json";

    public async Task AddOrUpdatePasskeyAsync(Account user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO account_passkeys (account_id, {PasskeyColumns})
            VALUES (@accountId, @credentialId, @PublicKey, @Name, @createdAt, @signCount, @transports, @verified, @eligible, @backedUp,
                @AttestationObject, @ClientDataJson)
            ON CONFLICT (credential_id) DO UPDATE SET name = excluded.name, sign_count = excluded.sign_count,
                is_user_verified = excluded.is_user_verified, is_backed_up = excluded.is_backed_up
            WHERE account_passkeys.account_id = excluded.account_id
            """,
            new
            {
                accountId = user.Id, credentialId = Base64Url.Encode(passkey.CredentialId), passkey.PublicKey, passkey.Name,
                createdAt = Time.ToDb(passkey.CreatedAt), signCount = (long)passkey.SignCount,
                transports = passkey.Transports is { Length: > 0 } t ? string.Join(',', t) : null,
                verified = passkey.IsUserVerified ? 1 : 0, eligible = passkey.IsBackupEligible ? 1 : 0, backedUp = passkey.IsBackedUp ? 1 : 0,
                passkey.AttestationObject, passkey.ClientDataJson,
            });
    }

    public async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(Account user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PasskeyRow>($"SELECT {PasskeyColumns} FROM account_passkeys WHERE account_id = @Id ORDER BY created_at", new { user.Id });
        return rows.Select(r => r.ToInfo()).ToList();
    }

    public async Task<Account?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var accountId = await connection.ExecuteScalarAsync<long?>("SELECT account_id FROM account_passkeys WHERE credential_id = @id",
            new { id = Base64Url.Encode(credentialId) });
        return accountId is { } id ? await FindAsync("id = @id", new { id }, cancellationToken) : null;
    }

    public async Task<UserPasskeyInfo?> FindPasskeyAsync(Account user, byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PasskeyRow>(
            $"SELECT {PasskeyColumns} FROM account_passkeys WHERE account_id = @accountId AND credential_id = @id",
            new { accountId = user.Id, id = Base64Url.Encode(credentialId) });
        return row?.ToInfo();
    }

    public async Task RemovePasskeyAsync(Account user, byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM account_passkeys WHERE account_id = @accountId AND credential_id = @id",
            new { accountId = user.Id, id = Base64Url.Encode(credentialId) });
    }

    private sealed class PasskeyRow
    {
        public string CredentialId { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public string? Name { get; set; }
        public long CreatedAt { get; set; }
        public long SignCount { get; set; }
        public string? Transports { get; set; }
        public long IsUserVerified { get; set; }
        public long IsBackupEligible { get; set; }
        public long IsBackedUp { get; set; }
        public byte[] AttestationObject { get; set; } = [];
        public byte[] ClientDataJson { get; set; } = [];

        public UserPasskeyInfo ToInfo() => new(Base64Url.Decode(CredentialId), PublicKey, Time.FromDb(CreatedAt), (uint)SignCount,
            Transports?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [], IsUserVerified != 0, IsBackupEligible != 0, IsBackedUp != 0,
            AttestationObject, ClientDataJson)
        {
            Name = Name,
        };
    }
}
