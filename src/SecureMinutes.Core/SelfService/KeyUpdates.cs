using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Joining;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.SelfService;

/// <summary>
/// A member changes the key their mail is encrypted to, themselves (issue 11): the new key is judged exactly as
/// <c>member add --replace</c> judges it; a challenge encrypted to the NEW key goes to the address on file (never an
/// address the requester gives: a key update cannot hijack another member); and the change is agreed either by a
/// confirmation encrypted to the OLD key, when it is still usable (that one confirmation is enough), or by a list admin
/// when it is not (expired, revoked, lost). Then the member is pinned with <see cref="Membership.ReplaceKeyAsync"/>
/// (audit-logged, the old fingerprint's verification no longer applies) and the copies they missed are redistributed
/// (<see cref="Redistribution"/>, as after <c>member add --replace</c>). A newer copy of the same key (an extended
/// expiry) is merged at once, as a key refresh would: its self-signatures prove it.
/// </summary>
public sealed class KeyUpdates(ListStore lists, MemberStore members, Membership membership, MemberLinks memberLinks, KeyUpdateStore updates,
    DistributionService distribution, Redistribution redistribution, AdminNotices adminNotices, AuditStore audit, PublicLinks links, JoinLimits limits, TimeProvider time)
{
    /// <summary>The path of a key update's confirmation link.</summary>
    public static string ConfirmPath(string token) => $"/member/key/{token}";

    /// <summary>
    /// The member behind personal link <paramref name="memberToken"/> gives a new key. The link is used up only when the
    /// key is accepted; a refused key leaves it working for another try.
    /// </summary>
    public async Task<KeyUpdateOutcome> RequestAsync(string memberToken, byte[] keyData, string sourceName, CancellationToken cancellationToken = default)
    {
        if (await memberLinks.FindAsync(memberToken, cancellationToken) is not var (member, list))
        {
            return new KeyUpdateOutcome.Invalid();
        }

        KeyImport judged;
        try
        {
            judged = await membership.PreviewAsync(list.Name, member.Email, keyData, sourceName, new MemberOptions(Replace: true, Actor: SelfServiceAudit.SelfActor),
                cancellationToken);
        }
        catch (UserFacingException refused)
        {
            return new KeyUpdateOutcome.Refused(refused.Message) { Code = refused.KeyProblem };
        }

        if (await memberLinks.UseAsync(memberToken, cancellationToken) is null)
        {
            return new KeyUpdateOutcome.Invalid(); // used meanwhile (a double tap)
        }

        return await StartAsync(list, member, judged, keyData, sourceName, cancellationToken);
    }

    /// <summary>
    /// Starts the update for a key already judged (the web page's, or a signed mail's): merges a
    /// newer copy of the same key at once, else stores the request and sends its challenges.
    /// </summary>
    public Task<KeyUpdateOutcome> StartAsync(MailingList list, Member member, KeyImport judged, byte[] keyData, string sourceName,
        CancellationToken cancellationToken = default) => StartAsync(list, member, judged, keyData, sourceName, signedRequestId: null, cancellationToken);

    /// <summary>
    /// Starts the update a mail signed by the member's pinned, usable key asked for (<see cref="MailIn.KeyUpdateByMail"/>):
    /// that good signature is the proof the confirmation to the old key gives on the web, so only the new key's challenge
    /// is sent, as submission <paramref name="challengeId"/> (chosen and recorded by mail-in beforehand, so a crash
    /// never sends it twice). Merges a newer copy of the same key at once, as <see cref="StartAsync(MailingList, Member, KeyImport, byte[], string, CancellationToken)"/> does.
    /// </summary>
    public Task<KeyUpdateOutcome> StartSignedAsync(MailingList list, Member member, KeyImport judged, byte[] keyData, string sourceName, string challengeId,
        CancellationToken cancellationToken = default) => StartAsync(list, member, judged, keyData, sourceName, challengeId, cancellationToken);

    private async Task<KeyUpdateOutcome> StartAsync(MailingList list, Member member, KeyImport judged, byte[] keyData, string sourceName, string? signedRequestId,
        CancellationToken cancellationToken)
    {
        if (judged.Outcome is KeyImportOutcome.Merged or KeyImportOutcome.Unchanged)
        {
            var merged = await membership.AddAsync(list.Name, member.Email, keyData, sourceName, new MemberOptions(Actor: SelfServiceAudit.SelfActor), cancellationToken);
            redistribution.Queue(merged.Member.Id); // an extended expiry: what was skipped meanwhile goes out
            return new KeyUpdateOutcome.Merged(list);
        }

        var now = time.GetUtcNow();
        var oldKeyUsable = KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), now).Status.CanReceive();
        var signed = signedRequestId is not null && oldKeyUsable;
        var (newToken, newHash) = JoinTokens.New();
        var (oldToken, oldHash) = JoinTokens.New();
        var update = await updates.AddAsync(
            new KeyUpdate(0, member.Id, judged.Member.Fingerprint, judged.Member.PublicKey, oldKeyUsable, null, signed ? now : null, sourceName, now, now + limits.ChallengeLifetime)
            {
                From = member.Fingerprint,
            },
            newHash, oldKeyUsable ? oldHash : null,
            new AuditEntry(list.Id, now, signed ? MailIn.KeyUpdateByMail.Actor : SelfServiceAudit.SelfActor, SelfServiceAudit.KeyUpdateRequested, member.Email,
                member.Fingerprint.Hex, judged.Member.Fingerprint.Hex,
                signed ? "challenge encrypted to the new key; the request was signed by the current key (its confirmation)"
                : oldKeyUsable ? "challenge encrypted to the new key, confirmation asked of the old key" : "challenge encrypted to the new key; the old key is unusable: an admin decides"),
            cancellationToken);

        var challenge = KeyUpdateText.Challenge(list, update, links.To(ConfirmPath(newToken)), limits.ChallengeLifetime);
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(challenge), [KeyUpdateRecipient.Of(update, member)])
        {
            Id = signedRequestId,
        }, cancellationToken);
        if (oldKeyUsable && !signed)
        {
            var confirmation = KeyUpdateText.OldKeyConfirmation(list, update, member.Fingerprint, links.To(ConfirmPath(oldToken)), limits.ChallengeLifetime);
            await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(confirmation), [member]), cancellationToken);
        }

        return new KeyUpdateOutcome.Challenged(list, oldKeyUsable);
    }

    /// <summary>Opens a confirmation link (the new key's or the old key's); the key changes once both sides agreed.</summary>
    public async Task<KeyUpdateOutcome> ConfirmAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await updates.ConfirmAsync(JoinTokens.Hash(token), time.GetUtcNow(), cancellationToken) is not { } update
            || (await members.GetManyAsync([update.MemberId], cancellationToken)).SingleOrDefault() is not { } member)
        {
            return new KeyUpdateOutcome.Invalid();
        }

        var list = await lists.GetAsync(member.ListId, cancellationToken);
        if (update.IsConfirmed)
        {
            return await ApplyAsync(list, member, update, SelfServiceAudit.SelfActor, cancellationToken);
        }

        if (update.AwaitsAdmin)
        {
            var now = time.GetUtcNow();
            await adminNotices.SendAsync(list, KeyUpdateText.AwaitingAdmin(list, update, member.Fingerprint), cancellationToken);
            await audit.AddAsync(new AuditEntry(list.Id, now, SelfServiceAudit.SelfActor, SelfServiceAudit.KeyUpdateAwaitingAdmin, member.Email, member.Fingerprint.Hex,
                update.Fingerprint.Hex, "new key proven; the old key is unusable: waiting for a list admin"), cancellationToken);
            return new KeyUpdateOutcome.AwaitingAdmin(list);
        }

        return new KeyUpdateOutcome.NeedsOtherConfirmation(list);
    }

    /// <summary>The list's key changes waiting for an admin (new key proven, old key unusable), with their members.</summary>
    public async Task<IReadOnlyList<(KeyUpdate Update, Member Member)>> AwaitingAdminAsync(long listId, CancellationToken cancellationToken = default)
    {
        var waiting = await updates.AwaitingAdminAsync(listId, time.GetUtcNow(), cancellationToken);
        var byId = (await members.GetManyAsync(waiting.Select(u => u.MemberId).ToList(), cancellationToken)).ToDictionary(m => m.Id);
        return waiting.Where(u => byId.ContainsKey(u.MemberId)).Select(u => (u, byId[u.MemberId])).ToList();
    }

    /// <summary>A list admin lets a proven key in.</summary>
    /// <exception cref="UserFacingException">No such change waiting on that list.</exception>
    public async Task<KeyUpdateOutcome> ApproveAsync(long listId, long updateId, string actor, CancellationToken cancellationToken = default)
    {
        var (update, member) = (await AwaitingAdminAsync(listId, cancellationToken)).FirstOrDefault(w => w.Update.Id == updateId);
        if (update is null)
        {
            throw new UserFacingException($"no key change #{updateId} is waiting for approval on this list");
        }

        return await ApplyAsync(await lists.GetAsync(listId, cancellationToken), member, update, actor, cancellationToken);
    }

    /// <summary>A list admin turns a key change away; the member keeps their key.</summary>
    /// <exception cref="UserFacingException">No such change waiting on that list.</exception>
    public async Task RefuseAsync(long listId, long updateId, string actor, CancellationToken cancellationToken = default)
    {
        var (update, member) = (await AwaitingAdminAsync(listId, cancellationToken)).FirstOrDefault(w => w.Update.Id == updateId);
        if (update is null || !await updates.DeleteAsync(update.Id, new AuditEntry(listId, time.GetUtcNow(), actor, SelfServiceAudit.KeyUpdateRefused, member.Email,
                member.Fingerprint.Hex, update.Fingerprint.Hex, "refused by a list admin"), cancellationToken))
        {
            throw new UserFacingException($"no key change #{updateId} is waiting for approval on this list");
        }
    }

    /// <summary>Deletes expired requests (the daily sweep); returns how many.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default) => updates.SweepAsync(time.GetUtcNow(), cancellationToken);

    private async Task<KeyUpdateOutcome> ApplyAsync(MailingList list, Member member, KeyUpdate update, string actor, CancellationToken cancellationToken)
    {
        KeyImport imported;
        try
        {
            // Compare-and-set: only over the key the change was asked from. A change asked before that was recorded
            // cannot be checked: it is refused rather than applied blind (the member asks again from their next mail).
            var from = update.From ?? throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.KeyChangedSince),
                $"this key change of {member.Email} was asked before the key it was asked from was recorded: nothing changed, ask again");
            imported = await membership.ReplaceKeyAsync(list.Name, member.Email, update.PublicKey, $"a key update ({update.Source})",
                new MemberOptions(Actor: actor) { ReplacingFingerprint = from }, cancellationToken);
        }
        catch (UserFacingException refused)
        {
            // Logged with the change's removal (one transaction): the member by blind index, no address in the detail.
            await updates.DeleteAsync(update.Id, new AuditEntry(list.Id, time.GetUtcNow(), actor, SelfServiceAudit.KeyUpdateRefused, member.Email,
                member.Fingerprint.Hex, update.Fingerprint.Hex, RefusedAtConfirmation(update, refused)), cancellationToken);
            return new KeyUpdateOutcome.Refused(refused.Message) { Code = refused.KeyProblem };
        }

        await updates.DeleteAsync(update.Id, null, cancellationToken);
        redistribution.Queue(imported.Member.Id); // as after member add --replace: what was skipped goes out
        return new KeyUpdateOutcome.Updated(list);
    }

    /// <summary>The audit detail of a confirmed change refused when applied: why, by its code (the refusal's sentence names the member).</summary>
    private static string RefusedAtConfirmation(KeyUpdate update, UserFacingException refused) => refused.KeyProblem?.Code switch
    {
        KeyProblemCode.KeyChangedSince => update.From is { } from
            ? $"confirmed, but asked from {from.Hex}, a key the member no longer holds (another was pinned since): not applied, the key on file stays"
            : "confirmed, but asked before the key it was asked from was recorded: not applied, the key on file stays",
        { } code => $"confirmed, but the new key is refused now ({code}): not applied, the key on file stays",
        null => "confirmed, but the new key is refused now: not applied, the key on file stays",
    };
}
