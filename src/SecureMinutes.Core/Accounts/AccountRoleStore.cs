using Dapper;
using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>Which account holds which role on which list: one row per (account, list).</summary>
public sealed class AccountRoleStore(Database database)
{
    /// <summary>Gives <paramref name="role"/> on the list, replacing any role held there before.</summary>
    public async Task GrantAsync(long accountId, long listId, ListRole role, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO account_roles (account_id, list_id, role) VALUES (@accountId, @listId, @role)
            ON CONFLICT (account_id, list_id) DO UPDATE SET role = excluded.role
            """,
            new { accountId, listId, role = role.ToText() });
    }

    /// <summary>Takes the account's role on the list away; false when it had none.</summary>
    public async Task<bool> RevokeAsync(long accountId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM account_roles WHERE account_id = @accountId AND list_id = @listId", new { accountId, listId }) == 1;
    }

    public async Task<ListRole?> FindAsync(long accountId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.ExecuteScalarAsync<string?>("SELECT role FROM account_roles WHERE account_id = @accountId AND list_id = @listId",
            new { accountId, listId });
        return text is null ? null : ListRoles.Parse(text);
    }

    /// <summary>The account's roles, by list id.</summary>
    public async Task<IReadOnlyDictionary<long, ListRole>> ForAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long ListId, string Role)>("SELECT list_id, role FROM account_roles WHERE account_id = @accountId", new { accountId });
        return rows.ToDictionary(r => r.ListId, r => ListRoles.Parse(r.Role));
    }
}
