using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>
/// The one place that decides which lists an account may see and in which role. Every web page and endpoint
/// about a list asks <see cref="FindAsync"/>; a list the account holds no role on is answered exactly like a
/// list that does not exist (null), so a note-taker of list A cannot even learn that list B exists.
/// </summary>
public sealed class ListAccess(ListStore lists, AccountRoleStore roles)
{
    /// <summary>The list named <paramref name="listName"/> and the account's role on it, or null: no such list, or none of the account's business.</summary>
    public async Task<ListGrant?> FindAsync(long accountId, bool installationAdmin, string listName, CancellationToken cancellationToken = default)
    {
        if (await lists.FindAsync(listName, cancellationToken) is not { } list)
        {
            return null;
        }

        if (installationAdmin)
        {
            return new ListGrant(list, ListRole.Admin);
        }

        return await roles.FindAsync(accountId, list.Id, cancellationToken) is { } role ? new ListGrant(list, role) : null;
    }

    /// <summary>The lists the account may see, by name.</summary>
    public async Task<IReadOnlyList<ListGrant>> VisibleAsync(long accountId, bool installationAdmin, CancellationToken cancellationToken = default)
    {
        var all = await lists.AllAsync(cancellationToken);
        if (installationAdmin)
        {
            return all.Select(l => new ListGrant(l, ListRole.Admin)).ToList();
        }

        var held = await roles.ForAccountAsync(accountId, cancellationToken);
        return all.Where(l => held.ContainsKey(l.Id)).Select(l => new ListGrant(l, held[l.Id])).ToList();
    }
}
