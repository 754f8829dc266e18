using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.IO;
using MimeKit.IO.Filters;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Lists;

namespace SecureMinutes.Mail;

/// <summary>
/// One submission's minutes made ready for a batch of members: everything every member's message shares is
/// built once here, so that <see cref="CreateFor"/> does per member only what must differ. Made by
/// <see cref="MinutesMessageFactory.Prepare"/>; safe to use from several threads at once.
/// <para>
/// What differs per member (RFC 9788 §3, and <see cref="MinutesMessageFactory"/>'s story): the protected header
/// block of the signed inner part names the member (<c>To:</c>, and <c>HP-Outer: To:</c>) and the date, and what
/// is signed includes it, so each member gets their own signature (one Ed25519 signature over one SHA-512 pass);
/// then the session key, its PKESK for the member's own encryption subkeys, and the symmetric encryption.
/// What is shared: the body of the inner part (the minutes, their HTML, attachments: already MIME-encoded), its
/// canonical form (RFC 3156 §5: CRLF, no trailing whitespace, "From " escaped, by MimeKit's own filters), the
/// DEFLATE compression of that body, the RFC 3156 framing of multipart/signed (written by MimeKit, once), the
/// list's signing key, and the Autocrypt header.
/// </para>
/// <para>
/// The message is the one <see cref="MinutesMessageFactory"/> always made: multipart/encrypted (7bit) around
/// armored PKESK v3 packets (one per usable encryption subkey of this member, nobody else's) and one SEIPD v1
/// packet (AES-256, MDC) holding a ZIP-compressed binary literal of multipart/signed (SHA-512, list key).
/// </para>
/// </summary>
public sealed class PreparedMinutes
{
    private readonly ListPgpContext _context;
    private readonly MailingList _list;
    private readonly string _subject;
    private readonly string _messageId;
    private readonly TimeProvider _time;
    private readonly TextSignature _signer;
    private readonly Header _innerContentType;
    private readonly Header _autocrypt;
    private readonly byte[] _innerBody;
    private readonly byte[] _innerBodyCompressed;
    private readonly SignedFraming _framing;

    internal PreparedMinutes(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId, TimeProvider time)
    {
        _context = context;
        _list = list;
        _subject = payload.Subject;
        _messageId = messageId;
        _time = time;
        _autocrypt = AutocryptHeader.Create(list.Address, list.PublicKey);
        _signer = new TextSignature(context.GetSigningKey(list.Mailbox));

        // The template: the whole signed entity for one (placeholder) recipient, made the way MimeKit makes it.
        var inner = new Multipart("mixed");
        foreach (var part in payload.BodyParts)
        {
            inner.Add(part);
        }

        inner.ContentType.Parameters.Add("protected-headers", "v1");
        inner.ContentType.Parameters.Add("hp", "cipher");
        var date = time.GetUtcNow();
        AddProtectedHeaders(inner.Headers, list.Mailbox, list.Mailbox, payload.Subject, date, messageId);
        inner.Prepare(EncodingConstraint.SevenBit, 78); // as MultipartSigned.Create does before signing
        _innerContentType = inner.Headers.First(h => h.Id == HeaderId.ContentType).Clone();

        var canonicalInner = Canonical(stream => inner.WriteTo(CanonicalFormat, stream));
        var bodyAt = canonicalInner.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        _innerBody = canonicalInner[bodyAt..];
        var headerBlock = HeaderBlock(list.Mailbox, date);
        if (!headerBlock.AsSpan().SequenceEqual(canonicalInner.AsSpan(0, bodyAt)))
        {
            // Guards the splice below against a MimeKit that writes headers differently from how it wrote them here.
            throw new InvalidOperationException("MimeKit wrote the protected header block differently from the whole entity's; cannot prepare the batch.");
        }

        _innerBodyCompressed = CompressedLiteral.CompressShared(_innerBody);
        _framing = SignedFraming.Of(MultipartSigned.Create(context, list.Mailbox, DigestAlgorithm.Sha512, inner), canonicalInner);
    }

    /// <summary>The options every canonical (signed or encrypted) form is written with: CRLF line ends.</summary>
    private static FormatOptions CanonicalFormat { get; } = CreateCanonicalFormat();

    /// <summary>
    /// This member's message: protected headers naming them, signed by the list key, encrypted to exactly
    /// <paramref name="encryptionKeys"/> (the usable encryption subkeys <see cref="KeyAssessor"/> chose for them).
    /// Throws <see cref="ArgumentException"/> when no key is given: nothing is ever sent unencrypted.
    /// </summary>
    public MimeMessage CreateFor(MailboxAddress recipient, IEnumerable<PgpPublicKey> encryptionKeys)
    {
        var keys = encryptionKeys.DistinctBy(k => k.KeyId).ToList();
        if (keys.Count == 0)
        {
            throw new ArgumentException("No recipient keys.", nameof(encryptionKeys));
        }

        // One instant for Date:, the signature and the literal packet (OpenPGP keeps whole seconds).
        var date = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var headerBlock = HeaderBlock(recipient, date);
        var signature = _signer.Sign(date, headerBlock, _innerBody);
        var before = Concat(_framing.Head, headerBlock);
        var after = Concat(_framing.Middle, ArmoredSignature(signature), _framing.Tail);
        var literal = CompressedLiteral.Packet(date, before, _innerBodyCompressed, _innerBody.Length, after);

        var message = new MimeMessage();
        message.Headers.Clear();
        message.Date = date;
        message.From.Add(_list.Mailbox);
        message.To.Add(recipient);
        message.Subject = MinutesMessageFactory.ObscuredSubject;
        message.MessageId = _messageId;
        message.Headers.Add(_autocrypt.Clone());
        message.Body = Encrypted(MessageArmor.Armor(Encrypt(literal, keys)));
        return message;
    }

    /// <summary>PKESKs then SEIPD: ours for RSA and Cv25519 subkeys, BouncyCastle's generator for any other algorithm.</summary>
    private static byte[] Encrypt(byte[] literal, List<PgpPublicKey> keys)
    {
        using var output = new MemoryStream(literal.Length + 1024);
        var random = new SecureRandom();
        if (keys.All(SessionKeyWrap.CanWrap))
        {
            var sessionKey = RandomNumberGenerator.GetBytes(32);
            var sessionInfo = SessionKeyWrap.SessionInfo(SymmetricKeyAlgorithmTag.Aes256, sessionKey);
            var packets = new BcpgOutputStream(output); // not disposed: that would close the output
            foreach (var key in keys)
            {
                SessionKeyWrap.Write(packets, key, sessionInfo, random);
            }

            IntegrityProtectedData.Write(output, sessionKey, literal);
            CryptographicOperations.ZeroMemory(sessionKey);
            CryptographicOperations.ZeroMemory(sessionInfo);
            return output.ToArray();
        }

        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, random);
        foreach (var key in keys)
        {
            generator.AddMethod(key);
        }

        using (RsaModulusCheck.SkipForValidatedKeys())
        using (var encrypted = generator.Open(output, literal.Length))
        {
            encrypted.Write(literal);
        }

        return output.ToArray();
    }

    private MultipartEncrypted Encrypted(byte[] armored)
    {
        // Both parts are 7-bit ASCII already ("Version: 1" and armor). MimeKit's Prepare would base64 any
        // application/* part (35% larger, and some tools then fail on the raw mail), so they are marked 7bit
        // here and our SMTP client skips Prepare (see PgpMimeSmtpClient).
        var multipart = new MultipartEncrypted();
        multipart.ContentType.Parameters["protocol"] = _context.EncryptionProtocol;
        multipart.Add(new ApplicationPgpEncrypted { ContentTransferEncoding = ContentEncoding.SevenBit });
        multipart.Add(new MimePart("application", "octet-stream")
        {
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "encrypted.asc" },
            ContentTransferEncoding = ContentEncoding.SevenBit,
            Content = new MimeContent(new MemoryStream(armored, writable: false)),
        });
        return multipart;
    }

    /// <summary>This member's protected header block, canonical, ending with the blank line.</summary>
    private byte[] HeaderBlock(MailboxAddress recipient, DateTimeOffset date)
    {
        var headers = new HeaderList { _innerContentType.Clone() };
        AddProtectedHeaders(headers, _list.Mailbox, recipient, _subject, date, _messageId);
        // HeaderList.WriteTo ends the block with the blank line, as the entity does.
        return Canonical(stream => headers.WriteTo(CanonicalFormat, stream));
    }

    /// <summary>The user-facing fields, then HP-Outer copies of what the outside shows (RFC 9788 §2.2).</summary>
    internal static void AddProtectedHeaders(HeaderList headers, MailboxAddress from, MailboxAddress to, string subject, DateTimeOffset date, string messageId)
    {
        AddUserFacingHeaders(headers, from, to, subject, date, messageId);
        var outer = new HeaderList();
        AddUserFacingHeaders(outer, from, to, MinutesMessageFactory.ObscuredSubject, date, messageId);
        foreach (var header in outer)
        {
            headers.Add(new Header("HP-Outer", $"{header.Field}: {header.Value}"));
        }
    }

    private static void AddUserFacingHeaders(HeaderList headers, MailboxAddress from, MailboxAddress to, string subject, DateTimeOffset date, string messageId)
    {
        headers.Add(HeaderId.Date, DateUtils.FormatDate(date));
        headers.Add(HeaderId.From, from.ToString(FormatOptions.Default, true));
        headers.Add(HeaderId.To, to.ToString(FormatOptions.Default, true));
        headers.Add(HeaderId.Subject, System.Text.Encoding.UTF8, subject);
        headers.Add(HeaderId.MessageId, $"<{messageId}>");
    }

    /// <summary>RFC 3156 §3 and §5.4 as MimeKit's MultipartSigned.Create applies them: "From " lines armored, trailing whitespace dropped, CRLF.</summary>
    private static byte[] Canonical(Action<Stream> write)
    {
        using var memory = new MemoryStream();
        using (var filtered = new FilteredStream(memory))
        {
            filtered.Add(new ArmoredFromFilter());
            filtered.Add(new TrailingWhitespaceFilter());
            write(filtered);
            filtered.Flush();
        }

        return memory.ToArray();
    }

    /// <summary>The signature as the application/pgp-signature part carries it (armored, no Version header), with CRLF.</summary>
    private static byte[] ArmoredSignature(byte[] packet)
    {
        using var output = new MemoryStream();
        using (var armored = new ArmoredOutputStream(output, false))
        {
            armored.Write(packet);
        }

        return ToCrlf(output.ToArray());
    }

    private static byte[] ToCrlf(byte[] text)
    {
        using var output = new MemoryStream(text.Length + text.Length / 32);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                output.WriteByte((byte)'\r');
            }

            output.WriteByte(text[i]);
        }

        return output.ToArray();
    }

    private static byte[] Concat(params ReadOnlySpan<byte[]> parts)
    {
        var result = new byte[parts.ToArray().Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }

        return result;
    }

    private static FormatOptions CreateCanonicalFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
