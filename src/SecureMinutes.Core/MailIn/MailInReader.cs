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
