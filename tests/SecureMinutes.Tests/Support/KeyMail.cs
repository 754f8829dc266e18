using System.Globalization;
using System.Text;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// Saved mails carrying keys, written the way the clients write them (headers and layout copied from
/// Thunderbird 115's "Attach My Public Key" and K-9/OpenKeychain shares), with real fixture keys inside.
/// </summary>
internal static class KeyMail
{
    private const string Boundary = "------------Xz7s9o2U8A0QmZbWQ1b0mZ5F";

    /// <summary>Thunderbird: an <c>application/pgp-keys</c> attachment, quoted-printable ("=" becomes "=3D") or base64.</summary>
    public static byte[] ThunderbirdAttachedKey(string armoredKey, string keyId, bool base64, string? autocryptKeyData = null)
    {
        var body = base64
            ? Convert.ToBase64String(Encoding.ASCII.GetBytes(armoredKey), Base64FormattingOptions.InsertLineBreaks)
            : armoredKey.ReplaceLineEndings("\r\n").Replace("=", "=3D", StringComparison.Ordinal);
        var mail = new StringBuilder();
        mail.Append("Message-ID: <4b1c9d2e-7f3a-4e8b-9c1d-2a3b4c5d6e7f@example.org>\r\n");
        mail.Append("Date: Tue, 3 Dec 2024 10:00:00 +0100\r\n");
        mail.Append("MIME-Version: 1.0\r\n");
        mail.Append("User-Agent: Mozilla Thunderbird\r\n");
        mail.Append("Content-Language: fr\r\n");
        mail.Append("To: ag@lists.example.org\r\n");
        mail.Append("From: Camille <camille@example.org>\r\n");
        mail.Append("Subject: =?UTF-8?Q?Ma_cl=C3=A9_publique?=\r\n");
        if (autocryptKeyData is not null)
        {
            mail.Append("Autocrypt: addr=camille@example.org; keydata=\r\n");
            foreach (var chunk in autocryptKeyData.Chunk(76))
            {
                mail.Append(' ').Append(chunk).Append("\r\n");
            }
        }

        mail.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"{Boundary}\"\r\n\r\n");
        mail.Append("This is a multi-part message in MIME format.\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"--{Boundary}\r\n");
        mail.Append("Content-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        mail.Append("Voici ma clé publique, pour la liste de l'AG.\r\n\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"--{Boundary}\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"Content-Type: application/pgp-keys; name=\"OpenPGP_0x{keyId}.asc\"\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"Content-Disposition: attachment; filename=\"OpenPGP_0x{keyId}.asc\"\r\n");
        mail.Append("Content-Description: OpenPGP public key\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"Content-Transfer-Encoding: {(base64 ? "base64" : "quoted-printable")}\r\n\r\n");
        mail.Append(body.TrimEnd()).Append("\r\n\r\n");
        mail.Append(CultureInfo.InvariantCulture, $"--{Boundary}--\r\n");
        return Encoding.UTF8.GetBytes(mail.ToString());
    }

    /// <summary>K-9 Mail: the key pasted into a quoted-printable UTF-8 text body, with words around it.</summary>
    public static byte[] InlineKeyInQuotedPrintableText(string armoredKey)
    {
        var text = "Salut, voil=C3=A0 ma cl=C3=A9 :\r\n\r\n" + armoredKey.ReplaceLineEndings("\r\n").Replace("=", "=3D", StringComparison.Ordinal) + "\r\n-- \r\nEnvoy=C3=A9 depuis K-9 Mail\r\n";
        return Encoding.ASCII.GetBytes(
            "From: Dominique <dominique@example.org>\r\nTo: ag@lists.example.org\r\nSubject: cle\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + text);
    }

    /// <summary>A mail with no key but an Autocrypt header (what a plain mail from Thunderbird or K-9 carries).</summary>
    public static byte[] AutocryptOnly(byte[] publicKey) => Encoding.ASCII.GetBytes(
        "From: Sacha <sacha@example.org>\r\nTo: ag@lists.example.org\r\nSubject: bonjour\r\nMIME-Version: 1.0\r\n" +
        "Autocrypt: addr=sacha@example.org; prefer-encrypt=mutual; keydata=\r\n " +
        string.Join("\r\n ", Convert.ToBase64String(publicKey).Chunk(76).Select(c => new string(c))) + "\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour !\r\n");

    /// <summary>An admin forwarded the member's mail as an attachment (message/rfc822).</summary>
    public static byte[] Forwarded(byte[] original) => Encoding.UTF8.GetBytes(
        "From: Admin <admin@example.org>\r\nTo: admin2@example.org\r\nSubject: Fwd: Ma clé\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n--fwd\r\nContent-Type: text/plain\r\n\r\nVoir ci-joint.\r\n" +
        "--fwd\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"cle.eml\"\r\n\r\n" +
        Encoding.UTF8.GetString(original) + "\r\n--fwd--\r\n");
}
