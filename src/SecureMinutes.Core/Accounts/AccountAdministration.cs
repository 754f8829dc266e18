using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using SecureMinutes.Storage;

namespace SecureMinutes.Accounts;

/// <summary>An account with the lists it holds a role on, for <c>user list</c>.</summary>
public sealed record AccountSummary(Account Account, IReadOnlyList<(string List, ListRole Role)> Roles, int Passkeys);

/// <summary>
/// Making and changing accounts (<c>user add|grant|list|remove|invite</c>, and the web's invitation page), through
/// Identity's <see cref="UserManager{TUser}"/> so passwords are hashed and judged by the same code as sign-in.
/// Every failure is one <see cref="UserFacingException"/> line.
/// </summary>
public sealed class AccountAdministration(
    UserManager<Account> users, AccountStore accounts, AccountRoleStore roles, ListStore lists, InvitationStore invitations,
    PublicLinks links, TimeProvider time)
{
    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>Creates an account; with a password (judged: length, common passwords, the address), or without one until an invitation is used.</summary>
    public async Task<Account> AddAsync(string email, string? password, bool installationAdmin, CancellationToken cancellationToken = default)
    {
        email = EmailAddress.Parse(email, "account address");
        var account = new Account { Email = email, IsInstallationAdmin = installationAdmin };
        var result = password is null ? await users.CreateAsync(account) : await users.CreateAsync(account, password);
        Check(result, $"cannot add {email}");
        return account;
    }

    /// <summary>Gives the account <paramref name="role"/> on the list (replacing the role it held there).</summary>
    public async Task GrantAsync(string email, string listName, ListRole role, CancellationToken cancellationToken = default)
    {
        var account = await GetAsync(email);
        var list = await lists.GetAsync(listName, cancellationToken);
        await roles.GrantAsync(account.Id, list.Id, role, cancellationToken);
    }

    /// <summary>Takes the account's role on a list away.</summary>
    public async Task RevokeAsync(string email, string listName, CancellationToken cancellationToken = default)
    {
        var account = await GetAsync(email);
        var list = await lists.GetAsync(listName, cancellationToken);
        if (!await roles.RevokeAsync(account.Id, list.Id, cancellationToken))
        {
            throw new UserFacingException($"{account.Email} holds no role on {list.Name}");
        }
    }

    /// <summary>Deletes the account, its roles, passkeys and links; its sessions end at their next request (security stamp gone).</summary>
    public async Task RemoveAsync(string email, CancellationToken cancellationToken = default)
    {
        var account = await GetAsync(email);
        Check(await users.DeleteAsync(account), $"cannot remove {account.Email}");
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var names = (await lists.AllAsync(cancellationToken)).ToDictionary(l => l.Id, l => l.Name);
        var summaries = new List<AccountSummary>();
        foreach (var account in await accounts.AllAsync(cancellationToken))
        {
            var held = await roles.ForAccountAsync(account.Id, cancellationToken);
            var passkeys = (await accounts.GetPasskeysAsync(account, cancellationToken)).Count;
            summaries.Add(new AccountSummary(account, held.Select(r => (names[r.Key], r.Value)).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList(), passkeys));
        }

        return summaries;
    }

    /// <summary>
    /// A one-time link (valid <see cref="InvitationLifetime"/>) to set a password or register a passkey, built from
    /// the public URL; the account is created first if needed. Earlier links of the account stop working.
    /// </summary>
    public async Task<(Account Account, Uri Link, DateTimeOffset Expires)> InviteAsync(string email, CancellationToken cancellationToken = default)
    {
        _ = links.To("/"); // no public URL: refused before anything is stored
        email = EmailAddress.Parse(email, "account address");
        var account = await users.FindByEmailAsync(email) ?? await AddAsync(email, null, installationAdmin: false, cancellationToken);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        await invitations.RevokeAllAsync(account.Id, now, cancellationToken);
        var expires = now + InvitationLifetime;
        await invitations.AddAsync(HashToken(token), account.Id, now, expires, cancellationToken);
        return (account, links.To($"/invite/{token}"), expires);
    }

    /// <summary>The account an invitation token opens, or null when it is unknown, used or expired.</summary>
    public async Task<Account?> FindInvitedAsync(string token, CancellationToken cancellationToken = default) =>
        await invitations.FindValidAsync(HashToken(token), time.GetUtcNow(), cancellationToken) is { } id ? await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;

    /// <summary>Uses the invitation up; false when another request used it first.</summary>
    public Task<bool> UseInvitationAsync(string token, CancellationToken cancellationToken = default) =>
        invitations.TryUseAsync(HashToken(token), time.GetUtcNow(), cancellationToken);

    private async Task<Account> GetAsync(string email) =>
        await users.FindByEmailAsync(EmailAddress.Parse(email, "account address")) ?? throw new UserFacingException($"no account for {email} (see: secureminutes user add)");

    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Identity's errors as one line: "cannot add x: the password is too short; …".</summary>
    public static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new UserFacingException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Description.TrimEnd('.')))}");
        }
    }
}
