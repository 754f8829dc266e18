using SecureMinutes.Keys.Packets;

namespace SecureMinutes.Mail;

/// <summary>
/// A batch's signed minutes cut around the member's footer, so that each member's copy is signed over its own footer
/// while everything before the footer is hashed and compressed once per batch.
/// <para>
/// Why the footer is inside the signature (a decision of issue 11): the footer carries the member's personal "update my
/// key / leave the list" link, and it must be part of what the list signs. Thunderbird and K-9 show a signature only
/// when it covers the whole decrypted message: a footer beside the signed part (multipart/mixed around
/// multipart/signed and a text part) would make every copy "partially signed" (shown unsigned) and hide the protected
/// subject, which Thunderbird reads from the decrypted root. So the footer is the last part of the signed
/// multipart/mixed and each copy is signed for its member: one Ed25519 signature and the SHA-512 of the few hundred
/// octets that follow the shared hash state (<see cref="SignedPrefix"/>), and one small DEFLATE stream
/// (<see cref="SplicedCompressedLiteral"/>); the minutes themselves are neither hashed nor compressed again.
/// </para>
/// <para>
/// The signed bytes a member receives are what MimeKit writes for <c>multipart/signed { multipart/mixed { minutes…,
/// footer }, signature }</c>: the batch is written once with a placeholder footer and signature, cut at those two
/// parts (each found again exactly as MimeKit writes it alone), and each copy puts its own footer and signature parts,
/// written by MimeKit the same way, in their places. The cut is checked when made: a MimeKit writing a part
/// differently inside a multipart than alone stops the batch instead of sending bad signatures.
/// </para>
/// </summary>
internal sealed class MemberFooterSplice
{
    private readonly DateTimeOffset _date;
    private readonly SignedPrefix _signedPrefix;   // the signed entity up to the footer part (hashed once)
    private readonly byte[] _innerSuffix;          // the signed entity after the footer part (its closing boundary)
    private readonly byte[] _beforeSignature;      // multipart/signed between the signed entity and the signature part
    private readonly byte[] _afterSignature;       // multipart/signed after the signature part
    private readonly SplicedCompressedLiteral _literal; // multipart/signed's beginning through the footer's start, compressed once

    /// <param name="date">The signature and literal date of the batch.</param>
    /// <param name="signedEntity">The canonical signed entity, written with the placeholder footer.</param>
    /// <param name="placeholderFooter">The placeholder footer part, canonical, as written alone.</param>
    /// <param name="whole">The canonical multipart/signed written around <paramref name="signedEntity"/> and <paramref name="placeholderSignature"/>.</param>
    /// <param name="placeholderSignature">The placeholder signature part, canonical, as written alone.</param>
    /// <exception cref="InvalidOperationException">A part is not found where it was written.</exception>
    public MemberFooterSplice(DateTimeOffset date, byte[] signedEntity, byte[] placeholderFooter, byte[] whole, byte[] placeholderSignature)
    {
        _date = date;
        var footerAt = signedEntity.AsSpan().LastIndexOf(placeholderFooter);
        var entityAt = whole.AsSpan().IndexOf(signedEntity);
        var signatureAt = entityAt < 0 ? -1 : whole.AsSpan(entityAt + signedEntity.Length).IndexOf(placeholderSignature);
        if (footerAt < 0 || entityAt < 0 || signatureAt < 0)
        {
            throw new InvalidOperationException("MimeKit wrote a footer or signature part differently inside the message than alone; cannot prepare the batch.");
        }

        signatureAt += entityAt + signedEntity.Length;
        var innerPrefix = signedEntity[..footerAt];
        _signedPrefix = new SignedPrefix(innerPrefix);
        _innerSuffix = signedEntity[(footerAt + placeholderFooter.Length)..];
        _beforeSignature = whole[(entityAt + signedEntity.Length)..signatureAt];
        _afterSignature = whole[(signatureAt + placeholderSignature.Length)..];
        _literal = new SplicedCompressedLiteral(date, [.. whole.AsSpan(0, entityAt), .. innerPrefix]);
    }

    /// <summary>
    /// The compressed literal packet of one member's copy: the shared minutes, then <paramref name="footer"/> (that
    /// member's canonical footer part), signed by <paramref name="signer"/> over the whole signed entity.
    /// </summary>
    /// <param name="signaturePart">Writes the canonical signature part for an armored signature packet.</param>
    public byte[] PacketsFor(byte[] footer, TextSignature signer, Func<byte[], byte[]> signaturePart)
    {
        var signature = signaturePart(signer.Sign(_date, _signedPrefix, footer, _innerSuffix));
        var end = new byte[footer.Length + _innerSuffix.Length + _beforeSignature.Length + signature.Length + _afterSignature.Length];
        var at = 0;
        foreach (var piece in (ReadOnlySpan<byte[]>)[footer, _innerSuffix, _beforeSignature, signature, _afterSignature])
        {
            piece.CopyTo(end, at);
            at += piece.Length;
        }

        return _literal.PacketWith(end);
    }
}
