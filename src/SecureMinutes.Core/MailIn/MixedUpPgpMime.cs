using MimeKit;
using MimeKit.Cryptography;

namespace SecureMinutes.MailIn;

/// <summary>
/// Repairs the "mixed-up" form that Exchange/Outlook and ProtonMail Bridge make of RFC 3156 mail: the
/// <c>multipart/encrypted</c> is turned into a <c>multipart/mixed</c> holding (an empty text part, then)
/// <c>application/pgp-encrypted</c> and the encrypted data as attachments. Thunderbird (its
/// fixExchangeMessage) and Delta Chat put the two parts back into a <c>multipart/encrypted</c>; so does this,
/// and only for exactly that shape: anything else stays what it is. The signature inside is checked as usual,
/// so a repaired mail is trusted no more than any other.
/// </summary>
internal static class MixedUpPgpMime
{
    /// <summary>The <c>multipart/encrypted</c> the mail was before the damage, or null when it is not this form.</summary>
    public static MultipartEncrypted? Repair(MimeEntity? body)
    {
        if (body is not Multipart mixed || !mixed.ContentType.IsMimeType("multipart", "mixed"))
        {
            return null;
        }

        var parts = mixed.Where(p => !(p is TextPart text && string.IsNullOrWhiteSpace(text.Text))).ToList();
        if (parts is not [MimePart version, MimePart data]
            || !version.ContentType.IsMimeType("application", "pgp-encrypted") || !data.ContentType.IsMimeType("application", "octet-stream")
            || !Decoded(version).Contains("Version: 1", StringComparison.Ordinal)
            || !Decoded(data).Contains("-----BEGIN PGP MESSAGE-----", StringComparison.Ordinal))
        {
            return null;
        }

        var repaired = new MultipartEncrypted();
        repaired.ContentType.Parameters["protocol"] = "application/pgp-encrypted";
        repaired.Add(version);
        repaired.Add(data);
        return repaired;
    }

    private static string Decoded(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content?.DecodeTo(bytes);
        return System.Text.Encoding.ASCII.GetString(bytes.ToArray());
    }
}
