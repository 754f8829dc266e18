using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Joining;

/// <summary>The key a person gave, judged as <c>member add</c> judges a new member's; <see cref="Refusal"/> says what is wrong.</summary>
public sealed record JoinKeyJudgement(KeyImport? Accepted, string? Refusal)
{
    /// <summary><see cref="Refusal"/> as a code and its arguments, when it is a key's refusal (for the page to word in its reader's language).</summary>
    public Keys.KeyProblem? RefusalCode { get; init; }
}

/// <summary>
/// Joining through an invite: the key is judged exactly as <c>member add</c> judges a new member's; a challenge encrypted
/// to it (and signed by the list, the minutes' own PGP/MIME path) carries a confirmation link; membership starts only
/// when that link is opened, proving the person reads that mailbox and holds that key. Every step answers a member and
/// a stranger alike (no enumeration) until the link is opened; every step is audit-logged.
/// </summary>
public sealed class JoinRequests(ListStore lists, MemberStore members, JoinInviteStore invites, JoinRequestStore requests, Membership membership,
    DistributionService distribution, Redistribution redistribution, PublicLinks links, JoinLimits limits, TimeProvider time)
{
    /// <summary>Actor of audit lines written for the joining person themself.</summary>
    public const string SelfActor = "self (invite)";

    /// <summary>The open invite a token names, or null (unknown, revoked, expired, used up: all alike).</summary>
    public async Task<(JoinInvite Invite, MailingList List)?> FindOpenInviteAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await invites.FindByTokenAsync(JoinTokens.Hash(token), cancellationToken) is not { } invite || !invite.IsOpen(time.GetUtcNow()))
        {
            return null;
        }

        return (invite, await lists.GetAsync(invite.ListId, cancellationToken));
    }

    /// <summary>Judges the key for <paramref name="email"/> as a new member's, whether or not the address is one already.</summary>
    /// <exception cref="UserFacingException">The address is not an address.</exception>
    public async Task<JoinKeyJudgement> JudgeAsync(MailingList list, string email, byte[] keyData, string sourceName, CancellationToken cancellationToken = default)
    {
        EmailAddress.Parse(email, "address");
        try
        {
            return new JoinKeyJudgement(await membership.PreviewNewcomerAsync(list.Name, email, keyData, sourceName, new MemberOptions(Actor: SelfActor), cancellationToken), null);
        }
        catch (UserFacingException refused)
        {
            return new JoinKeyJudgement(null, refused.Message) { RefusalCode = refused.KeyProblem };
        }
    }

    /// <summary>
    /// Stores a request and sends its challenge, when the key is acceptable and the limits allow. The caller answers the
    /// same whether or not the address is a member; the challenge is sent either way.
    /// </summary>
    /// <returns>The judgement; when it is a refusal, nothing was stored or sent.</returns>
    /// <exception cref="JoinLimitException">Too many challenges for this address or invite lately.</exception>
    public async Task<JoinKeyJudgement> RequestAsync(string inviteToken, string email, byte[] keyData, string sourceName, ListLanguage? language,
        CancellationToken cancellationToken = default)
    {
        await SweepExpiredAsync(cancellationToken);
        var (invite, list) = await FindOpenInviteAsync(inviteToken, cancellationToken) ?? throw new UserFacingException("this invite link is not valid (any more)");
        email = EmailAddress.Parse(email, "address");
        var judged = await JudgeAsync(list, email, keyData, sourceName, cancellationToken);
        if (judged.Accepted is not { } accepted)
        {
            return judged;
        }

        var now = time.GetUtcNow();
        if (await requests.CountByEmailAsync(list.Id, email, now - limits.Window, cancellationToken) >= limits.PerAddress
            || await requests.CountByInviteAsync(invite.Id, now - limits.Window, cancellationToken) >= limits.PerInvite)
        {
            throw new JoinLimitException();
        }

        var (token, hash) = JoinTokens.New();
        var pending = new JoinRequest(0, list.Id, invite.Id, email, accepted.Member.Fingerprint, accepted.Member.PublicKey, accepted.Member.KeyExpiresAt,
            JoinRequestState.Challenged, null, now, now + limits.ChallengeLifetime, null);
        var request = await requests.AddAsync(pending, hash, new AuditEntry(list.Id, now, SelfActor, JoinAuditActions.JoinChallenged, email, null,
            accepted.Member.Fingerprint.Hex, $"invite #{invite.Id}: challenge encrypted to the key given"), cancellationToken);
        var mail = JoinChallengeText.Of(list, request, links.To($"/join/confirm/{token}"), limits.ChallengeLifetime, language);
        var sent = await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(mail), [JoinRecipient.Of(request)]),
            cancellationToken);
        await requests.SetSubmissionAsync(request.Id, sent.Submission.Id, cancellationToken);
        return judged;
    }

    /// <summary>Opens a challenge's confirmation link: the person joins (or waits for an admin, with <c>--approve</c>).</summary>
    public async Task<JoinOutcome> ConfirmAsync(string token, CancellationToken cancellationToken = default)
    {
        await SweepExpiredAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (await requests.FindByTokenAsync(JoinTokens.Hash(token), now, cancellationToken) is not { State: JoinRequestState.Challenged } request)
        {
            return new JoinOutcome.Invalid();
        }

        var list = await lists.GetAsync(request.ListId, cancellationToken);
        if (await members.FindAsync(list.Id, request.Email, cancellationToken) is not null)
        {
            await requests.DeleteAsync(request, new AuditEntry(list.Id, now, SelfActor, JoinAuditActions.JoinAlreadyMember, request.Email, null, request.Fingerprint.Hex,
                "confirmed an invite's challenge while already a member: nothing changed"), cancellationToken);
            return new JoinOutcome.AlreadyMember(list);
        }

        // A double tap must count one use of the invite: the request is claimed first (one conditional UPDATE), and only
        // the tap that claimed it counts the use.
        if (!await requests.TryClaimAsync(request.Id, now, cancellationToken))
        {
            return new JoinOutcome.Invalid();
        }

        if (await invites.FindAsync(request.InviteId, cancellationToken) is not { } invite || !await invites.TryUseAsync(invite.Id, now, cancellationToken))
        {
            await requests.ReleaseClaimAsync(request.Id, cancellationToken);
            return new JoinOutcome.InviteClosed();
        }

        if (invite.NeedsApproval)
        {
            return await requests.MarkConfirmedAsync(request.Id, now, now + limits.ApprovalLifetime, new AuditEntry(list.Id, now, SelfActor,
                    JoinAuditActions.JoinAwaitingApproval, request.Email, null, request.Fingerprint.Hex, $"invite #{invite.Id}: mailbox and key proven; waiting for a list admin"),
                cancellationToken)
                ? new JoinOutcome.AwaitingApproval(list)
                : new JoinOutcome.Invalid();
        }

        return await AdmitAsync(list, request, $"{SelfActor} #{invite.Id}", cancellationToken);
    }

    /// <summary>Requests of the list waiting for an admin (invites with <c>--approve</c>).</summary>
    public async Task<IReadOnlyList<JoinRequest>> AwaitingApprovalAsync(long listId, CancellationToken cancellationToken = default)
    {
        await SweepExpiredAsync(cancellationToken);
        return await requests.AwaitingApprovalAsync(listId, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>A list admin lets a proven request in.</summary>
    /// <exception cref="UserFacingException">No such request waiting on that list.</exception>
    public async Task<JoinOutcome> ApproveAsync(long listId, long requestId, string actor, CancellationToken cancellationToken = default)
    {
        var request = await WaitingAsync(listId, requestId, cancellationToken);
        var list = await lists.GetAsync(listId, cancellationToken);
        if (await members.FindAsync(list.Id, request.Email, cancellationToken) is not null)
        {
            await requests.DeleteAsync(request, null, cancellationToken);
            return new JoinOutcome.AlreadyMember(list);
        }

        return await AdmitAsync(list, request, actor, cancellationToken);
    }

    /// <summary>A list admin turns a request away; it is deleted and the refusal logged.</summary>
    /// <exception cref="UserFacingException">No such request waiting on that list.</exception>
    public async Task RefuseAsync(long listId, long requestId, string actor, CancellationToken cancellationToken = default)
    {
        var request = await WaitingAsync(listId, requestId, cancellationToken);
        await requests.DeleteAsync(request, new AuditEntry(listId, time.GetUtcNow(), actor, JoinAuditActions.JoinRefused, request.Email, null, request.Fingerprint.Hex,
            "refused by a list admin"), cancellationToken);
    }

    /// <summary>Deletes expired requests (and their challenges' copies), leaving only an audit line each. Returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var swept = 0;
        foreach (var request in await requests.ExpiredAsync(now, cancellationToken))
        {
            var detail = request.State == JoinRequestState.Challenged ? "challenge never confirmed" : "never approved by a list admin";
            if (await requests.DeleteAsync(request, new AuditEntry(request.ListId, now, "join sweep", JoinAuditActions.JoinExpired, request.Email, null,
                    request.Fingerprint.Hex, detail), cancellationToken))
            {
                swept++;
            }
        }

        return swept;
    }

    private async Task<JoinRequest> WaitingAsync(long listId, long requestId, CancellationToken cancellationToken) =>
        await requests.FindAsync(listId, requestId, cancellationToken) is { State: JoinRequestState.AwaitingApproval } request && request.ExpiresAt > time.GetUtcNow()
            ? request
            : throw new UserFacingException($"no join request #{requestId} is waiting for approval on this list");

    private async Task<JoinOutcome> AdmitAsync(MailingList list, JoinRequest request, string actor, CancellationToken cancellationToken)
    {
        KeyImport imported;
        try
        {
            imported = await membership.AddAsync(list.Name, request.Email, request.PublicKey, "the key given on the join page", new MemberOptions(Actor: actor),
                cancellationToken);
        }
        catch (UserFacingException refused)
        {
            return new JoinOutcome.KeyRefused(refused.Message) { Code = refused.KeyProblem };
        }

        await requests.DeleteAsync(request, null, cancellationToken);
        redistribution.Queue(imported.Member.Id); // the list's latest minutes (list set --redistribute-last)
        return new JoinOutcome.Joined(list, imported.Member);
    }
}
