using System.Globalization;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Notices;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Keyring;

public sealed record RotationResult(MailingList List, Fingerprint Previous, bool PreviousWasRevoked, bool CertifiedByPrevious,
    SubmissionStatus Announcement, bool Resumed);

/// <param name="UploadFailure">Why the upload asked for failed (the revocation is stored and printed all the same).</param>
public sealed record RevocationResult(MailingList List, string ArmoredRevokedKey, bool Uploaded, string? UploadFailure);

/// <summary>
/// A list's own key over time. <b>Rotate</b>: a new Ed25519/Cv25519 key, certified by the previous one, then
/// announced to every member in a mail signed by the previous key (see <see cref="ListKeyAnnouncement"/>);
/// the previous key is kept (public and sealed secret, in <c>list_keys</c>): members keep verifying the mail
/// it signed, and an announcement copy sent late is still signed by it. <b>Revoke</b>: the key gets a
/// revocation signature, is published that way, and signs nothing more: the list is paused until rotated.
/// </summary>
public sealed class ListKeyRotation(
    ListStore lists, ListService listService, MemberStore members, ProviderStore providers, DistributionService distribution,
    ListPause pause, AdminNotices adminNotices, KeyringOptions options, TimeProvider time)
{
    public async Task<RotationResult> RotateAsync(string listName, string actor, CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var previousSecret = await listService.OpenSecretKeyAsync(list, cancellationToken);
        var previousPublic = new PgpPublicKeyRing(list.PublicKey);
        var revoked = list.KeyRevokedAt is not null;
        var now = time.GetUtcNow();

        var nextSecret = ListKeyGenerator.Generate($"{list.DisplayName} <{list.Address}>", now);
        var nextPublic = ListKeyGenerator.PublicRing(nextSecret);
        // A revoked (maybe stolen) key vouches for nothing: the new key then stands on its fingerprint alone.
        var certify = !revoked && ListKeySignatures.CanCertify(previousPublic, now);
        if (certify)
        {
            nextPublic = ListKeySignatures.Certify(previousSecret, nextPublic, now);
        }

        var next = Fingerprint.Of(nextPublic.GetPublicKey());
        var audit = new AuditEntry(list.Id, now, actor, AuditActions.ListKeyRotated, null, list.KeyFingerprint.Hex, next.Hex,
            revoked ? "previous key revoked: announcement signed by the new key" : "new key certified by the previous one; announcement signed by the previous key");
        if (!await lists.RotateKeyAsync(list, next, nextPublic.GetEncoded(), listService.SealSecretKey(nextSecret), now, audit, cancellationToken))
        {
            throw new UserFacingException($"the key of list '{list.Name}' changed while rotating it: nothing was changed, run the command again");
        }

        var rotated = await lists.GetAsync(list.Id, cancellationToken);
        var payload = ListKeyAnnouncement.Create(rotated, list.KeyFingerprint, rotated.PublicKey, revoked ? list.PublicKey : null);
        var recipients = await members.ListAsync(list.Id, cancellationToken);
        var announcement = await distribution.SendAsync(new NewSubmission(rotated, SubmissionKind.Announcement, payload, recipients)
        {
            SigningKey = revoked ? null : list.KeyFingerprint,
        }, cancellationToken);

        var resumed = rotated.IsPaused && ListKeyState.IsRevokedPause(rotated.PausedReason);
        if (resumed)
        {
            await pause.ResumeAsync(rotated, cancellationToken);
        }

        return new RotationResult(rotated, list.KeyFingerprint, revoked, certify, announcement, resumed);
    }

    public async Task<RevocationResult> RevokeAsync(string listName, RevocationReasonTag reason, string comment, string actor, bool upload,
        CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (list.KeyRevokedAt is { } already)
        {
            throw new UserFacingException(string.Create(CultureInfo.InvariantCulture, $"the key of list '{list.Name}' was already revoked on {already:yyyy-MM-dd}: run secureminutes list key rotate {list.Name}"));
        }

        var now = time.GetUtcNow();
        var secret = await listService.OpenSecretKeyAsync(list, cancellationToken);
        var revokedKey = ListKeySignatures.Revoke(secret, new PgpPublicKeyRing(list.PublicKey), reason, comment, now);
        var why = reason switch
        {
            RevocationReasonTag.KeyCompromised => "key compromised",
            RevocationReasonTag.KeySuperseded => "key superseded",
            RevocationReasonTag.KeyRetired => "key retired",
            _ => "no reason given",
        };
        var audit = new AuditEntry(list.Id, now, actor, AuditActions.ListKeyRevoked, null, list.KeyFingerprint.Hex, null, $"{why}: {comment}");
        if (!await lists.RevokeKeyAsync(list.Id, list.KeyFingerprint, revokedKey.GetEncoded(), now, audit, cancellationToken))
        {
            throw new UserFacingException($"the key of list '{list.Name}' changed while revoking it: nothing was changed, run the command again");
        }

        var revokedList = await lists.GetAsync(list.Id, cancellationToken);
        // The notice goes out with the copies once the list is rotated: a revoked key signs nothing.
        await lists.PauseAsync(list.Id, ListKeyState.RevokedPauseReason(revokedList), now, cancellationToken);
        await adminNotices.SendAsync(revokedList, ListKeyText.Revoked(revokedList, comment), cancellationToken);

        var armored = Armor.PublicKey(revokedKey.GetEncoded());
        if (!upload)
        {
            return new RevocationResult(revokedList, armored, false, null);
        }

        using var sources = OnlineKeySources.For(list, await providers.FindAsync(list.Id, cancellationToken), options);
        if (sources.Vks is not { } vks)
        {
            return new RevocationResult(revokedList, armored, false, "no keyserver is configured (SECUREMINUTES_VKS_URL is off)");
        }

        try
        {
            await vks.UploadAsync(armored, cancellationToken);
            return new RevocationResult(revokedList, armored, true, null);
        }
        catch (UserFacingException ex)
        {
            return new RevocationResult(revokedList, armored, false, ex.Message);
        }
    }

    /// <summary>The list's public key, and with <paramref name="includeRetired"/> its earlier keys too (to verify older mail).</summary>
    public async Task<string> ExportAsync(string listName, bool includeRetired, CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var keys = new List<byte[]> { list.PublicKey };
        if (includeRetired)
        {
            keys.AddRange((await lists.RetiredKeysAsync(list.Id, cancellationToken)).Select(k => k.PublicKey));
        }

        return Armor.PublicKey([.. keys]);
    }
}
