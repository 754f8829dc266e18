using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes.MailIn;

/// <summary>
/// A member's key update by signed mail (issue 11), once <see cref="MailInReader"/> found the request: the attached key is
/// judged exactly as on the web (as <c>member add --replace</c> judges it), then <see cref="KeyUpdates.StartSignedAsync"/>
/// sends the challenge encrypted to the new key at the address on file. The good signature by the pinned, usable key
/// stands for the confirmation the web flow asks of the old key. Exactly one mail goes out per request, under the
/// submission id mail-in recorded for it before: the challenge, or an answer encrypted to the current key (the key
/// refused, with the judgement; or a newer copy of the same key merged).
/// </summary>
public sealed class KeyUpdateByMail(Membership membership, KeyUpdates keyUpdates, AuditStore audit, SubmissionStore submissions, DistributionService distribution,
    PublicLinks links, TimeProvider time)
{
    /// <summary>Audit actor of what a signed mail asked.</summary>
    public const string Actor = "self (signed mail)";

    /// <summary>Audit action of a key-update mail that was turned away (its reason in the detail).</summary>
    public const string Refused = "key-update-mail-refused";

    /// <summary>
    /// Carries out <paramref name="request"/> of <paramref name="signer"/>. Idempotent: when submission
    /// <paramref name="submissionId"/> exists, the request was carried out before a crash and nothing is done again.
    /// </summary>
    public async Task HandleAsync(MailingList list, Member signer, KeyUpdateMail request, string submissionId, CancellationToken cancellationToken)
    {
        if (await submissions.FindAsync(submissionId, cancellationToken) is not null)
        {
            return;
        }

        if (await RefusalAsync(list, signer, request, cancellationToken) is { } reason)
        {
            await RefuseAsync(list, signer, reason, submissionId, cancellationToken);
            return;
        }

        var source = $"a signed mail ({request.SourceName})";
        KeyImport judged;
        try
        {
            judged = await membership.PreviewAsync(list.Name, signer.Email, request.KeyData, source, new MemberOptions(Replace: true, Actor: Actor), cancellationToken);
        }
        catch (UserFacingException refused)
        {
            await RefuseAsync(list, signer, refused.Message, submissionId, cancellationToken);
            return;
        }

        var outcome = await keyUpdates.StartSignedAsync(list, signer, judged, request.KeyData, source, submissionId, cancellationToken);
        if (outcome is KeyUpdateOutcome.Merged)
        {
            await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(KeyUpdateMailText.Merged(list, judged)), [signer])
            {
                Id = submissionId,
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Why the request cannot go on, before its key is judged: no public address for the link, or a signature older than
    /// the member's last key change (made with this same key before another was pinned: a replay of an old mail).
    /// </summary>
    private async Task<string?> RefusalAsync(MailingList list, Member signer, KeyUpdateMail request, CancellationToken cancellationToken)
    {
        if (!links.IsConfigured)
        {
            return "this list has no public address for confirmation links: ask a list admin to change your key";
        }

        var pinnedAt = (await audit.ListAsync(list.Id, signer.Email, cancellationToken))
            .Where(e => e.NewFingerprint is { } fingerprint && fingerprint.Equals(signer.Fingerprint.Hex, StringComparison.OrdinalIgnoreCase)
                && !fingerprint.Equals(e.OldFingerprint, StringComparison.OrdinalIgnoreCase))
            .Select(e => (DateTimeOffset?)e.At).Max();
        return pinnedAt is { } at && request.SignedAt < at.AddSeconds(-1)
            ? $"its signature ({request.SignedAt:yyyy-MM-dd HH:mm} UTC) is older than your current key's pinning ({at:yyyy-MM-dd HH:mm} UTC): send a new mail"
            : null;
    }

    /// <summary>Writes the audit line of a key-update mail turned away before it reached <see cref="HandleAsync"/> (the member named or signing).</summary>
    public Task AuditRefusalAsync(MailingList list, Member member, string reason, CancellationToken cancellationToken) =>
        audit.AddAsync(new AuditEntry(list.Id, time.GetUtcNow(), Actor, Refused, member.Email, member.Fingerprint.Hex, null, reason), cancellationToken);

    private async Task RefuseAsync(MailingList list, Member signer, string reason, string submissionId, CancellationToken cancellationToken)
    {
        await AuditRefusalAsync(list, signer, reason, cancellationToken);
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(KeyUpdateMailText.Refused(list, reason)), [signer])
        {
            Id = submissionId,
        }, cancellationToken);
    }
}
