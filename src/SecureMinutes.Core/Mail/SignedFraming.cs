using MimeKit;
using MimeKit.Cryptography;

namespace SecureMinutes.Mail;

/// <summary>
/// The RFC 3156 multipart/signed around a signed entity, as MimeKit wrote it for one template message, cut into
/// the three spans that surround the two parts that change per member: <see cref="Head"/> (the Content-Type with
/// boundary, protocol and micalg, and the first delimiter), <see cref="Middle"/> (the delimiter and the headers of
/// the application/pgp-signature part) and <see cref="Tail"/> (the close delimiter). The boundary is random once
/// per batch: it only has to be absent from the content, which it is for every member since only header values
/// and signatures differ.
/// </summary>
internal sealed record SignedFraming(byte[] Head, byte[] Middle, byte[] Tail)
{
    private static readonly byte[] SignatureStart = "-----BEGIN PGP SIGNATURE-----"u8.ToArray();
    private static readonly byte[] SignatureEnd = "-----END PGP SIGNATURE-----\r\n"u8.ToArray();

    /// <param name="signed">MimeKit's multipart/signed for the template.</param>
    /// <param name="signedEntity">The canonical bytes of the template's signed entity, as they were signed.</param>
    public static SignedFraming Of(MultipartSigned signed, byte[] signedEntity)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        signed.WriteTo(format, buffer);
        var whole = buffer.ToArray().AsSpan();

        var entityAt = whole.IndexOf(signedEntity);
        var entityEnd = entityAt + signedEntity.Length;
        var signatureAt = entityAt < 0 ? -1 : whole[entityEnd..].IndexOf(SignatureStart);
        var signatureEnd = signatureAt < 0 ? -1 : whole[(entityEnd + signatureAt)..].IndexOf(SignatureEnd);
        if (entityAt < 0 || signatureAt < 0 || signatureEnd < 0)
        {
            throw new InvalidOperationException("MimeKit's multipart/signed does not hold the signed entity and an armored signature as written: cannot prepare the batch.");
        }

        signatureAt += entityEnd;
        signatureEnd += signatureAt + SignatureEnd.Length;
        return new SignedFraming(whole[..entityAt].ToArray(), whole[entityEnd..signatureAt].ToArray(), whole[signatureEnd..].ToArray());
    }
}
