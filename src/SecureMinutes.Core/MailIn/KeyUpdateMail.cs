using MimeKit;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.MailIn;

/// <summary>
/// A member's key-update request by mail (issue 11): the new public key a signed mail to the list carries. The rule
/// that tells such a mail from minutes never takes what would have been minutes:
/// <list type="bullet">
/// <item>the mail carries a key that is new for the signer: an <c>application/pgp-keys</c> part or an attachment named
/// <c>.asc</c>, <c>.pub</c>, <c>.key</c>, <c>.gpg</c> or <c>.pgp</c> that holds an OpenPGP key, other than a plain copy of the
/// key on file (Thunderbird's "Attach My Public Key" adds that one by itself; a copy with a new expiry or subkey counts);</item>
/// <item>and the mail cannot be minutes: its signer is not a note-taker, or it was only signed (minutes must be
/// encrypted), or it holds nothing else: no text beyond a mail signature (after a <c>-- </c> line) and no other
/// attachment. A note-taker's encrypted mail with text or a document stays minutes, as before (the key attached to it
/// is left out of the minutes, as <see cref="MailInContent"/> always did).</item>
/// </list>
/// More than one new key is not guessed between: the request is refused with <see cref="Problem"/> set.
/// </summary>
/// <param name="KeyData">The attachment's bytes, as <c>member add --key</c> would read the file.</param>
/// <param name="SourceName">The attachment's file name (or <c>key.asc</c>), for the judgement and the audit.</param>
/// <param name="Problem">Set (and the key empty) when the mail is a key update that cannot be taken as it is.</param>
public sealed record KeyUpdateMail(byte[] KeyData, string SourceName, string? Problem = null)
{
    /// <summary>When the signer's signature says it was made (the request is bound to it: see <see cref="MailInReader"/>).</summary>
    public DateTimeOffset SignedAt { get; init; }

    private static readonly string[] KeyFileEndings = [".asc", ".pub", ".key", ".gpg", ".pgp"];

    /// <summary>The key-update request <paramref name="content"/> (the verified, decrypted payload) is, or null when it is not one.</summary>
    /// <param name="content">What the signature covers (inside the encryption when there was one).</param>
    /// <param name="signer">The member whose pinned key made the good signature.</param>
    /// <param name="couldBeMinutes">The mail was encrypted to the list and signed by a note-taker: it would be minutes if it held any.</param>
    /// <param name="now">For judging whether an attached copy of the pinned key extends it.</param>
    public static KeyUpdateMail? Find(MimeEntity content, Member signer, bool couldBeMinutes, DateTimeOffset now)
    {
        var keys = new List<(byte[] Data, string Name)>();
        var hasText = false;
        var hasOtherAttachment = false;
        foreach (var entity in Parts(content, content))
        {
            if (entity is not MimePart part || part.Content is null || part.ContentType.IsMimeType("application", "pgp-signature"))
            {
                hasOtherAttachment |= entity is MessagePart; // a forwarded mail
                continue;
            }

            if (LooksLikeKey(part))
            {
                keys.Add((Decoded(part), part.FileName ?? "key.asc"));
            }
            else if (part is TextPart text && !text.IsAttachment && text.FileName is null)
            {
                hasText |= SaysSomething(text.Text);
            }
            else
            {
                hasOtherAttachment = true;
            }
        }

        var newKeys = keys.Where(k => IsNewFor(k.Data, k.Name, signer, now)).ToList();
        if (newKeys.Count == 0 || (couldBeMinutes && (hasText || hasOtherAttachment)))
        {
            return null;
        }

        return newKeys.Count == 1
            ? new KeyUpdateMail(newKeys[0].Data, newKeys[0].Name)
            : new KeyUpdateMail([], "", $"it carried {newKeys.Count} new keys: attach only the one key the list should use from now on");
    }

    /// <summary>The leaves a client shows, the legacy display copy of the protected headers left out.</summary>
    private static IEnumerable<MimeEntity> Parts(MimeEntity entity, MimeEntity root)
    {
        if (entity is not Multipart multipart)
        {
            yield return entity;
            yield break;
        }

        foreach (var child in multipart.Where(c => !LegacyDisplay.IsElement(c, root)))
        {
            foreach (var leaf in Parts(child, root))
            {
                yield return leaf;
            }
        }
    }

    private static bool LooksLikeKey(MimePart part) =>
        part.ContentType.IsMimeType("application", "pgp-keys")
        || (part.FileName is { } name && KeyFileEndings.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) && HoldsKey(Decoded(part)));

    private static bool HoldsKey(byte[] data)
    {
        try
        {
            return PublicKeyReader.Read(data, "attachment").Count > 0;
        }
        catch (UserFacingException)
        {
            // A secret key, or over the reader's budget: still a key the member sent, judged (and refused) like one.
            return System.Text.Encoding.Latin1.GetString(data).Contains("-----BEGIN PGP PRIVATE KEY BLOCK", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or PgpException or InvalidDataException)
        {
            return false; // a signature or a document that happens to end in .asc
        }
    }

    /// <summary>
    /// A key other than the signer's pinned one, or a copy of it that brings something (a later expiry, another
    /// subkey): what the client attaches by itself on every mail is not a request.
    /// </summary>
    private static bool IsNewFor(byte[] data, string name, Member signer, DateTimeOffset now)
    {
        IReadOnlyList<PgpPublicKeyRing> rings;
        try
        {
            rings = PublicKeyReader.Read(data, name);
        }
        catch (Exception ex) when (ex is UserFacingException or IOException or PgpException or InvalidDataException)
        {
            return true; // unreadable as a public key (a secret key, say): the judgement says why, in the answer
        }

        if (rings.Count != 1 || Fingerprint.Of(rings[0].GetPublicKey()) != signer.Fingerprint)
        {
            return true;
        }

        var pinned = KeyAssessor.Assess(new PgpPublicKeyRing(signer.PublicKey), now);
        var attached = KeyAssessor.Assess(rings[0], now);
        return attached.Expires != pinned.Expires || attached.Subkeys.Count > pinned.Subkeys.Count;
    }

    /// <summary>Text other than blank lines and a mail signature (what follows the "-- " line, RFC 3676 4.3).</summary>
    private static bool SaysSomething(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line is "-- " or "--")
            {
                return false;
            }

            if (line.Trim().Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Decoded(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }
}
