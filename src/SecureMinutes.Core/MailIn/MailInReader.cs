using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.MailIn;

/// <summary>
/// Decides about one mail sent to a list: it is minutes only if it is PGP/MIME encrypted to the list's key
/// AND carries a good signature by the pinned key of a member flagged note-taker. Both RFC 3156 forms are
/// read: the signature inside the encryption (6.2, Thunderbird, MimeKit's SignAndEncrypt) and a
/// multipart/signed inside it (6.1), and the "mixed-up" form Exchange makes of them is repaired first
/// (<see cref="MixedUpPgpMime"/>). The subject comes from the protected (inner) headers.
/// A member's signed mail (encrypted or only signed, RFC 3156 5) carrying a new key of theirs and nothing minutes would
/// hold is a key-update request instead (<see cref="KeyUpdateMail"/>, <see cref="KeyUpdateByMail"/>).
/// </summary>
public sealed class MailInReader(IntakeLimits limits, TimeProvider time)
{
    public MailInVerdict Read(MimeMessage message, MailingList list, PgpSecretKeyRing listKey, IReadOnlyList<Member> members)
    {
        var rawKey = "raw:" + Hash(message);
        var claimed = message.From.Mailboxes.FirstOrDefault()?.Address;
        var sender = claimed is null || IsAutomatic(message) || claimed.Equals(list.Address, StringComparison.OrdinalIgnoreCase)
            ? null
            : members.FirstOrDefault(m => m.Email.Equals(claimed, StringComparison.OrdinalIgnoreCase));

        var encrypted = message.Body as MultipartEncrypted ?? MixedUpPgpMime.Repair(message.Body);
        if (encrypted is null && message.Body is MultipartSigned signedOnly && ReadSignedKeyUpdate(signedOnly, rawKey, claimed, members, sender) is { } keyUpdate)
        {
            return keyUpdate;
        }

        if (encrypted is null && sender is not null && message.Body is { } body && KeyUpdateMail.Find(body, sender, couldBeMinutes: false, time.GetUtcNow()) is not null)
        {
            // A member's key sent unsigned, or signed by another key (often the new one, switched to too early): said in
            // key-update words, to the member only, encrypted to the key on file.
            return message.Body is MultipartSigned
                ? MailInVerdict.Refuse(rawKey, MailInRefusal.UnknownSigner, "it was not signed by your key on file (sign with your current key, not the new one)", sender)
                    with { AboutKeyUpdate = true }
                : MailInVerdict.Refuse(rawKey, MailInRefusal.NotSigned, "it was not signed (PGP/MIME) with your current key", sender) with { AboutKeyUpdate = true };
        }

        if (encrypted is null)
        {
            return InlinePgp.IsIn(message.Body)
                ? MailInVerdict.Refuse(rawKey, MailInRefusal.InlinePgp, "it was encrypted inline (PGP/INLINE, as Mailvelope and webmails send it), not as PGP/MIME: "
                    + "send it from Thunderbird, K-9 or another client that encrypts whole messages, or attach the minutes", sender)
                : MailInVerdict.Refuse(rawKey, MailInRefusal.NotEncrypted, "it was not encrypted (PGP/MIME) to the list's key", sender);
        }

        using var context = new ListPgpContext(time, listKey);
        foreach (var member in members)
        {
            context.Import(new PgpPublicKeyRing(member.PublicKey));
        }

        MimeEntity decrypted;
        DigitalSignatureCollection? signatures;
        try
        {
            decrypted = encrypted.Decrypt(context, out signatures);
        }
        // Whatever MimeKit and BouncyCastle throw on a stranger's damaged or hostile mail is a refusal of that mail, not a
        // bug of ours: fuzzing found NotSupportedException (another protocol), InvalidDataException (a compressed packet
        // .NET cannot inflate), CryptoException ("checksum failed" on a damaged session key) and BouncyCastle's
        // UnsupportedPacketVersionException, which derives from Exception itself. Only cancellation goes through.
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            return MailInVerdict.Refuse(rawKey, MailInRefusal.NotDecryptable, "it could not be decrypted with the list's key (was it encrypted to this list's current key?)", sender);
        }

        var content = decrypted;
        if ((signatures is null || signatures.Count == 0) && decrypted is MultipartSigned signed)
        {
            try
            {
                signatures = signed.Verify(context);
                content = signed[0];
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                return MailInVerdict.Refuse(rawKey, MailInRefusal.BadSignature, "its signature could not be read", sender);
            }
        }

        if (signatures is null || signatures.Count == 0)
        {
            return MailInVerdict.Refuse(rawKey, MailInRefusal.NotSigned, "it was encrypted but not signed: sign it with your own key", sender);
        }

        var (signer, refusal, reason) = CheckSignatures(signatures, members);
        if (signer is not null && refusal is null or MailInRefusal.NotNoteTaker
            && KeyUpdateVerdict(content, signatures, signer, claimed, members, sender, couldBeMinutes: signer.IsNoteTaker) is { } update)
        {
            return update;
        }

        if (signer is null || refusal is not null)
        {
            return MailInVerdict.Refuse(rawKey, refusal ?? MailInRefusal.UnknownSigner, reason, signer ?? sender);
        }

        var key = "signed:" + Hash(content);
        try
        {
            var document = MailInContent.Read(content, message.Subject, limits, time.GetUtcNow());
            return MailInVerdict.Accept(key, document, signer);
        }
        catch (MailInContent.RefusedException ex)
        {
            return MailInVerdict.Refuse(key, ex.Refusal, ex.Message, signer);
        }
    }

    /// <summary>The first good signature decides: made by a member's pinned key, still valid, and that member takes notes.</summary>
    private (Member? Signer, MailInRefusal? Refusal, string Reason) CheckSignatures(DigitalSignatureCollection signatures, IReadOnlyList<Member> members)
    {
        (Member?, MailInRefusal?, string) result = (null, MailInRefusal.UnknownSigner, "it was signed by a key that belongs to no member of the list");
        foreach (var signature in signatures.OfType<OpenPgpDigitalSignature>())
        {
            var key = (signature.SignerCertificate as OpenPgpDigitalCertificate)?.PublicKey;
            var member = key is null ? null : members.FirstOrDefault(m => new PgpPublicKeyRing(m.PublicKey).GetPublicKey(key.KeyId) is not null);
            if (member is null)
            {
                continue;
            }

            bool good;
            try
            {
                good = signature.Verify();
            }
            catch (DigitalSignatureVerifyException)
            {
                good = false;
            }

            var status = KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), time.GetUtcNow()).Status;
            if (!good || key!.HasRevocation() || status is KeyStatus.Revoked or KeyStatus.Expired or KeyStatus.Invalid)
            {
                result = (member, MailInRefusal.BadSignature, good ? $"the signing key of {member.Email} is {status.ToText()}" : "its signature does not match its content (changed on the way?)");
                continue;
            }

            return member.IsNoteTaker
                ? (member, null, "")
                : (member, MailInRefusal.NotNoteTaker, $"{member.Email} is not a note-taker of the list (an admin can run: member set LIST {member.Email} --note-taker)");
        }

        return result;
    }

    /// <summary>
    /// A mail only signed (RFC 3156 5, multipart/signed), not encrypted: never minutes, but a member's key update when
    /// it carries a new key (<see cref="KeyUpdateMail"/>); null sends it on to the "not encrypted" refusal.
    /// </summary>
    private MailInVerdict? ReadSignedKeyUpdate(MultipartSigned signed, string rawKey, string? claimed, IReadOnlyList<Member> members, Member? sender)
    {
        if (signed.Count < 2)
        {
            return null;
        }

        using var context = new ListPgpContext(time);
        foreach (var member in members)
        {
            context.Import(new PgpPublicKeyRing(member.PublicKey));
        }

        DigitalSignatureCollection signatures;
        try
        {
            signatures = signed.Verify(context);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            return null;
        }

        var (signer, refusal, reason) = CheckSignatures(signatures, members);
        if (signer is not null && refusal is MailInRefusal.BadSignature && KeyUpdateMail.Find(signed[0], signer, couldBeMinutes: false, time.GetUtcNow()) is not null)
        {
            // An expired or revoked key vouches for nothing: the web link (or an admin) is the way then.
            return MailInVerdict.Refuse(rawKey, MailInRefusal.BadSignature,
                reason + ": a key change by mail needs a good signature by your current, usable key; use the link at the bottom of your last minutes, or ask a list admin", signer) with { AboutKeyUpdate = true };
        }

        return signer is not null && refusal is null or MailInRefusal.NotNoteTaker
            ? KeyUpdateVerdict(signed[0], signatures, signer, claimed, members, sender, couldBeMinutes: false)
            : null;
    }

    /// <summary>
    /// The verdict on a key-update request, or null when the content is not one. The member is the one whose pinned key
    /// made the good signature AND whose address the From header gives: the signature proves the key, and the From picks
    /// the member among those who share a key (a couple, an office); a signature by one member's key in another's name is
    /// refused (and the member named is told, encrypted to their own key). Bound to the signature: the mail's key for
    /// exactly-once handling is its content, signer and signature time (a replay is the same mail; a new signature is a
    /// new request), and a signature older than <see cref="KeyUpdateSignatureLifetime"/>, from the future, or from before
    /// the member joined is refused.
    /// </summary>
    private MailInVerdict? KeyUpdateVerdict(MimeEntity content, DigitalSignatureCollection signatures, Member signer, string? claimed, IReadOnlyList<Member> members,
        Member? sender, bool couldBeMinutes)
    {
        var now = time.GetUtcNow();
        if (KeyUpdateMail.Find(content, signer, couldBeMinutes, now) is not { } request)
        {
            return null;
        }

        var signature = signatures.OfType<OpenPgpDigitalSignature>()
            .First(s => s.SignerCertificate is OpenPgpDigitalCertificate c && new PgpPublicKeyRing(signer.PublicKey).GetPublicKey(c.PublicKey.KeyId) is not null);
        var signedAt = new DateTimeOffset(DateTime.SpecifyKind(signature.CreationDate, DateTimeKind.Utc));
        var key = "keyupdate:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{Hash(content)}:{signer.Fingerprint.Hex}:{signedAt.ToUnixTimeSeconds()}")));
        var named = claimed is null ? null : members.FirstOrDefault(m => m.Email.Equals(claimed, StringComparison.OrdinalIgnoreCase));
        if (named?.Id != signer.Id)
        {
            return MailInVerdict.Refuse(key, MailInRefusal.SignerNotSender,
                "it asked to change the key of the address it came from, but it was not signed by the key on file for that address", sender) with { AboutKeyUpdate = true };
        }

        if (signedAt < now - KeyUpdateSignatureLifetime || signedAt > now + TimeSpan.FromHours(1) || signedAt < signer.AddedAt.AddSeconds(-1))
        {
            return MailInVerdict.Refuse(key, MailInRefusal.StaleSignature,
                $"its signature was made on {signedAt:yyyy-MM-dd HH:mm} UTC: a key change by mail must be signed within the last {KeyUpdateSignatureLifetime.TotalDays:0} days", signer) with { AboutKeyUpdate = true };
        }

        return request.Problem is { } problem
            ? MailInVerdict.Refuse(key, MailInRefusal.KeyUpdateUnclear, problem, signer) with { AboutKeyUpdate = true }
            : MailInVerdict.RequestKeyUpdate(key, request with { SignedAt = signedAt }, signer);
    }

    /// <summary>How old a key-update mail's signature may be when it is fetched (mail waits in the mailbox a minute; a week covers an outage).</summary>
    public static readonly TimeSpan KeyUpdateSignatureLifetime = TimeSpan.FromDays(7);

    /// <summary>Vacation replies and bounces get no answer, so two robots never write to each other forever.</summary>
    private static bool IsAutomatic(MimeMessage message)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"];
        var precedence = message.Headers["Precedence"]?.Trim().ToLowerInvariant();
        return (autoSubmitted is not null && !autoSubmitted.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            || precedence is "bulk" or "junk" or "list"
            || message.Headers.Contains("List-Id");
    }

    private static string Hash(MimeEntity entity)
    {
        using var buffer = new MemoryStream();
        entity.WriteTo(FormatOptions.Default, buffer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static string Hash(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
