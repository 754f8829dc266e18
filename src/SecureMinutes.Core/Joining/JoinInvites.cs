using SecureMinutes.Accounts;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Joining;

/// <summary>What <c>invite create</c> gives: the invite and its link (built from the public address, never a Host header).</summary>
public sealed record CreatedInvite(JoinInvite Invite, Uri Link);

/// <summary>
/// Invites to join a list (<c>invite create/list/revoke</c>, and the list admin's invites page): a 128-bit token, stored as
/// its SHA-256 for lookup and sealed by the vault so a list admin can show the link and its QR code again later.
/// </summary>
public sealed class JoinInvites(ListStore lists, JoinInviteStore invites, AuditStore audit, Vault vault, PublicLinks links, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(2);
    public const int DefaultUses = 300;

    /// <summary>Creates an invite to <paramref name="listName"/> valid for <paramref name="lifetime"/> and <paramref name="maxUses"/> new members.</summary>
    /// <exception cref="UserFacingException">Unknown list, no public address, or a lifetime/uses out of range.</exception>
    public async Task<CreatedInvite> CreateAsync(string listName, TimeSpan lifetime, int maxUses, bool needsApproval, string actor,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        _ = links.To("/"); // no public address: refused before anything is stored
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(365))
        {
            throw new UserFacingException("--expires must be between 1 minute and 365 days (e.g. 2d, 12h, 90m)");
        }

        if (maxUses is < 1 or > 100_000)
        {
            throw new UserFacingException("--uses must be between 1 and 100000");
        }

        var (token, hash) = JoinTokens.New();
        var now = time.GetUtcNow();
        var invite = await invites.AddAsync(list.Id, hash, vault.Box.Seal(System.Text.Encoding.UTF8.GetBytes(token), TokenPurpose(hash)), actor, now, now + lifetime,
            maxUses, needsApproval, cancellationToken);
        await audit.AddAsync(new AuditEntry(list.Id, now, actor, JoinAuditActions.InviteCreated, Detail: FormattableString.Invariant(
            $"invite #{invite.Id}: until {invite.ExpiresAt:yyyy-MM-dd HH:mm} UTC, {maxUses} use(s){(needsApproval ? ", each approved by an admin" : "")}")), cancellationToken);
        return new CreatedInvite(invite, LinkOf(token));
    }

    /// <summary>The list's invites, newest first.</summary>
    public async Task<(MailingList List, IReadOnlyList<JoinInvite> Invites)> ListAsync(string listName, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        return (list, await invites.ListAsync(list.Id, cancellationToken));
    }

    /// <summary>The link of one of the list's invites (for the admin page and its QR code).</summary>
    /// <exception cref="UserFacingException">No such invite on that list.</exception>
    public async Task<Uri> LinkAsync(long listId, long inviteId, CancellationToken cancellationToken = default)
    {
        if (await invites.FindAsync(inviteId, cancellationToken) is not { } invite || invite.ListId != listId)
        {
            throw new UserFacingException($"no invite #{inviteId} on this list");
        }

        var (hash, sealedToken) = await invites.GetSealedTokenAsync(inviteId, cancellationToken);
        // The purpose binds the sealed token to its own hash: a sealed token copied into another row does not open.
        return LinkOf(System.Text.Encoding.UTF8.GetString(vault.Box.Open(sealedToken, TokenPurpose(hash))));
    }

    /// <summary>Stops the invite: its link answers like an unknown one from now on.</summary>
    /// <exception cref="UserFacingException">No such open invite on that list.</exception>
    public async Task RevokeAsync(string listName, long inviteId, string actor, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var now = time.GetUtcNow();
        if (!await invites.RevokeAsync(list.Id, inviteId, now, cancellationToken))
        {
            throw new UserFacingException($"no open invite #{inviteId} on list '{list.Name}' (see: secureminutes invite list {list.Name})");
        }

        await audit.AddAsync(new AuditEntry(list.Id, now, actor, JoinAuditActions.InviteRevoked, Detail: $"invite #{inviteId}"), cancellationToken);
    }

    private Uri LinkOf(string token) => links.To($"/join/{token}");

    private static string TokenPurpose(string tokenHash) => $"join-invite-token:{tokenHash}";
}
