using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Text;

namespace SecureMinutes.Keys;

/// <summary>
/// The keys in a saved mail, parsed with MimeKit so every transfer encoding is decoded as the mail client
/// wrote it: key attachments (Thunderbird's "attach my public key" sends <c>application/pgp-keys</c> as
/// quoted-printable or base64; OpenKeychain and K-9 share <c>.asc</c> files), armored keys pasted in the text
/// (plain or HTML), forwarded mails inside it, and, only when none of those holds a key, the sender's
/// Autocrypt header.
/// <para>
/// Budget: parts nest at most <see cref="MaxDepth"/> deep (multiparts and forwarded mails together) and a
/// mail has at most <see cref="MaxParts"/> parts; each part is visited once, so the work is linear in the
/// mail. A mail over either is refused in one line.
/// </para>
/// </summary>
internal static class MailKeyExtractor
{
    /// <summary>How deep parts may nest: a key forwarded a few times stays far below it.</summary>
    public const int MaxDepth = 32;

    /// <summary>How many parts a mail carrying a key may have.</summary>
    public const int MaxParts = 1000;

    // MimeKit stops recursing at this depth itself (deeper parts are kept as opaque leaves), so parsing stays
    // bounded before our own walk refuses the mail.
    private static readonly ParserOptions Parsing = CreateParserOptions();

    private static readonly string[] KeyFileExtensions = [".asc", ".gpg", ".pgp", ".key", ".pub"];

    public static List<FoundCertificate> Extract(byte[] data, string sourceName)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(data, writable: false);
            message = MimeMessage.Load(Parsing, stream);
        }
        catch (FormatException ex)
        {
            throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} looks like a mail but cannot be parsed ({ex.Message.TrimEnd('.')})");
        }

        var found = new List<FoundCertificate>();
        var encrypted = false;
        Walk(message, sourceName, found, ref encrypted);
        if (found.Count == 0)
        {
            found.AddRange(FromAutocrypt(message, sourceName));
        }

        if (found.Count == 0)
        {
            throw KeyRefusals.Of(new KeyProblem(encrypted ? KeyProblemCode.EncryptedMail : KeyProblemCode.NotAKey), encrypted
                ? $"{sourceName} is an encrypted mail: open it in your mail client and save the key attachment (.asc) instead"
                : $"{sourceName} is a mail with no OpenPGP public key in it (no key attachment, no armored key in its text, no Autocrypt header)");
        }

        return found;
    }

    private static ParserOptions CreateParserOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = MaxDepth + 1;
        return options;
    }

    /// <summary>Every part once, depth first, forwarded mails included, within the budget.</summary>
    private static void Walk(MimeMessage message, string sourceName, List<FoundCertificate> found, ref bool encrypted)
    {
        var pending = new Stack<(MimeEntity Entity, int Depth)>();
        if (message.Body is { } root)
        {
            pending.Push((root, 1));
        }

        var parts = 0;
        while (pending.TryPop(out var item))
        {
            if (item.Depth > MaxDepth || ++parts > MaxParts)
            {
                throw new UserFacingException(FormattableString.Invariant(
                    $"{TerminalText.Escape(sourceName)} is a mail nested more than {MaxDepth} levels deep or with more than {MaxParts} parts: save the key attachment (.asc) and give that instead"));
            }

            switch (item.Entity)
            {
                case MultipartEncrypted:
                    encrypted = true;
                    break;
                case Multipart multipart:
                    for (var i = multipart.Count - 1; i >= 0; i--)
                    {
                        pending.Push((multipart[i], item.Depth + 1));
                    }

                    break;
                case MessagePart { Message.Body: { } forwarded }:
                    pending.Push((forwarded, item.Depth + 1));
                    break;
                case ApplicationPgpSignature:
                    break;
                case TextPart text when !text.IsAttachment || !IsKeyFile(text):
                    var body = text.IsHtml ? HtmlText(text.Text) : text.Text;
                    if (body.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal)
                        || body.Contains("-----BEGIN PGP PRIVATE KEY BLOCK-----", StringComparison.Ordinal))
                    {
                        Add(Encoding.UTF8.GetBytes(body), $"{sourceName}: the text of the mail", found);
                    }

                    break;
                case MimePart part when IsKeyFile(part):
                    using (var decoded = new MemoryStream())
                    {
                        part.Content?.DecodeTo(decoded);
                        Add(decoded.ToArray(), $"{sourceName}: attachment {part.FileName ?? part.ContentType.MimeType}", found);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The text of an HTML body, line breaks kept, for a key pasted into an HTML mail. MimeKit converts text
    /// to HTML but not back; its HTML tokenizer gives the text and the tags that break lines.
    /// </summary>
    private static string HtmlText(string html)
    {
        var text = new StringBuilder();
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlDataToken data:
                    text.Append(data.Data);
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.Pre:
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString(); // the tokenizer decodes character references itself
    }

    private static bool IsKeyFile(MimePart part) =>
        part.ContentType.IsMimeType("application", "pgp-keys")
        || (part.FileName is { } name && KeyFileExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            && !part.ContentType.IsMimeType("application", "pgp-encrypted") && !part.ContentType.IsMimeType("application", "pgp-signature"));

    private static void Add(byte[] data, string origin, List<FoundCertificate> found) =>
        found.AddRange(PublicKeyReader.Read(data, origin).Select(c => new FoundCertificate(c, origin)));

    /// <summary>Autocrypt Level 1: <c>addr=…; [prefer-encrypt=…;] keydata=BASE64</c> (folding whitespace allowed in the data).</summary>
    private static IEnumerable<FoundCertificate> FromAutocrypt(MimeMessage message, string sourceName)
    {
        foreach (var header in message.Headers.Where(h => h.Field.Equals("Autocrypt", StringComparison.OrdinalIgnoreCase)))
        {
            var value = header.Value;
            var start = value.IndexOf("keydata=", StringComparison.OrdinalIgnoreCase);
            if (start < 0)
            {
                continue;
            }

            var base64 = new string(value[(start + "keydata=".Length)..].TakeWhile(c => c != ';').Where(c => !char.IsWhiteSpace(c)).ToArray());
            byte[] keyData;
            try
            {
                keyData = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new UserFacingException($"{sourceName}: its Autocrypt header carries damaged key data");
            }

            var origin = $"{sourceName}: Autocrypt header";
            foreach (var certificate in PublicKeyReader.Read(keyData, origin))
            {
                yield return new FoundCertificate(certificate, origin);
            }
        }
    }
}
