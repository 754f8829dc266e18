using MimeKit;
using MimeKit.Cryptography;
using MimeKit.IO;
using MimeKit.IO.Filters;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Lists;

namespace SecureMinutes.Mail;

/// <summary>
/// One submission's minutes made ready for a batch of members: the signed minutes are the same for every member of
/// the batch, so they are built, signed and compressed once here, and <see cref="CreateFor"/> does per member only
/// what must differ: the session key, its PKESK for that member's own encryption subkeys, the symmetric encryption,
/// the armor and the outer header naming the member. Made by <see cref="MinutesMessageFactory.Prepare"/>; safe to use
/// from several threads at once.
/// <para>
/// Why the signed part names no member (a design decision of issue 12, and what makes one signature per batch
/// possible): the protected header block inside the signature (RFC 9788) carries what every member shares (Date, From,
/// the real Subject, Message-ID) but no <c>To:</c> and no <c>HP-Outer: To:</c>; the member's address is in the outer
/// header only. "Addressed and encrypted to that member alone" still holds: each copy is encrypted to that member's
/// keys only (one PKESK per subkey of theirs) and its envelope and outer <c>To:</c> name that member only; the
/// member's address was never a secret from the servers carrying the mail, so protecting it adds nothing, while
/// signing it costs one Ed25519 signature and one SHA-512 pass per member. Readers that show the protected headers
/// show the real subject and a good signature; Thunderbird takes the recipient from the outer header (the client
/// tests check it); a reader applying RFC 9788 strictly shows no recipient, which a list's copy does not need.
/// </para>
/// <para>
/// The message is the one <see cref="MinutesMessageFactory"/> always made: multipart/encrypted (7bit) around
/// armored PKESK v3 packets (one per usable encryption subkey of this member, nobody else's) and one SEIPD v1 packet
/// (AES-256, MDC) holding a ZIP-compressed binary literal of multipart/signed (RFC 3156: SHA-512, the list key).
/// </para>
/// </summary>
public sealed class PreparedMinutes
{
    // Only the protocol name is kept from the signing context: a batch's prepared minutes may outlive the context
    // (PreparedMinutesCache keeps them for the submission's next batches), and hold no secret key.
    private readonly string _encryptionProtocol;
    private readonly byte[]? _packets;          // the one literal every member decrypts (no footers)
    private readonly MemberFooterSplice? _footers; // or the minutes cut around each member's footer

    // The outer header fields every member's copy shares, formatted once (Date, From, Subject, Message-ID, Autocrypt);
    // each copy gets clones of them plus its own To.
    private readonly Header[] _outerHeaders;

    internal PreparedMinutes(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId, TimeProvider time, bool withFooters = false)
    {
        _encryptionProtocol = context.EncryptionProtocol;
        // One instant for Date:, the signature and the literal packet (OpenPGP keeps whole seconds).
        Date = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        _outerHeaders = OuterHeaders(list, Date, messageId);

        var inner = new Multipart("mixed");
        foreach (var part in payload.BodyParts)
        {
            inner.Add(part);
        }

        inner.ContentType.Parameters.Add("protected-headers", "v1");
        inner.ContentType.Parameters.Add("hp", "cipher");
        AddProtectedHeaders(inner.Headers, list.Mailbox, payload.Subject, Date, messageId);
        if (!withFooters)
        {
            _packets = CompressedLiteral.Packet(Date, SignedPart(inner, context, list).Whole);
            return;
        }

        // The footer is the signed mixed part's last: each copy is cut there (MemberFooterSplice says why).
        var placeholder = FooterPart("-");
        inner.Add(placeholder);
        var (whole, signedEntity, signaturePart) = SignedPart(inner, context, list);
        _footers = new MemberFooterSplice(Date, signedEntity, Canonical(stream => placeholder.WriteTo(CanonicalFormat, stream)), whole, signaturePart);
    }

    /// <summary>True when every copy carries its member's footer (<see cref="CreateFor(MailboxAddress, IReadOnlyList{RecipientKey}, string, TextSignature)"/>).</summary>
    public bool HasFooters => _footers is not null;

    /// <summary>The Date of every message of this batch: when its minutes were signed.</summary>
    public DateTimeOffset Date { get; }

    /// <summary>The options every canonical (signed or encrypted) form is written with: CRLF line ends.</summary>
    private static FormatOptions CanonicalFormat { get; } = CreateCanonicalFormat();

    /// <summary>
    /// This member's message: the batch's signed minutes encrypted to exactly <paramref name="encryptionKeys"/> (the
    /// usable encryption subkeys the member's key judgement chose, ready from <see cref="RecipientKeyCache"/>), outer
    /// <c>To:</c> the member. Throws <see cref="ArgumentException"/> when no key is given: nothing is ever sent
    /// unencrypted.
    /// </summary>
    public MimeMessage CreateFor(MailboxAddress recipient, IReadOnlyList<RecipientKey> encryptionKeys) =>
        Create(recipient, encryptionKeys, _packets ?? throw new InvalidOperationException("These minutes were prepared for footers: give each copy its footer."));

    /// <summary>
    /// This member's message with <paramref name="footer"/> (plain text, their personal links) as the last part of the
    /// signed minutes, signed for them by <paramref name="signer"/> (the list key that signed the batch). Only for
    /// minutes prepared with footers (<see cref="HasFooters"/>).
    /// </summary>
    public MimeMessage CreateFor(MailboxAddress recipient, IReadOnlyList<RecipientKey> encryptionKeys, string footer, TextSignature signer)
    {
        var splice = _footers ?? throw new InvalidOperationException("These minutes were prepared without footers.");
        var part = FooterPart(footer);
        part.Prepare(EncodingConstraint.SevenBit, 78);
        var packets = splice.PacketsFor(Canonical(stream => part.WriteTo(CanonicalFormat, stream)), signer, SignaturePart);
        return Create(recipient, encryptionKeys, packets);
    }

    private MimeMessage Create(MailboxAddress recipient, IReadOnlyList<RecipientKey> encryptionKeys, byte[] packets)
    {
        var keys = encryptionKeys.DistinctBy(k => k.KeyId).ToList();
        var armored = MemberEncryption.EncryptArmored(packets, keys);
        var headers = new Header[_outerHeaders.Length + 1];
        headers[0] = _outerHeaders[0].Clone();
        headers[1] = _outerHeaders[1].Clone();
        headers[2] = new Header(HeaderId.To, recipient.ToString(FormatOptions.Default, true));
        for (var i = 2; i < _outerHeaders.Length; i++)
        {
            headers[i + 1] = _outerHeaders[i].Clone();
        }

        // MimeKit's (params object[]) constructor takes the headers as they are and draws no Date or Message-ID when
        // they are given: the parameterless one would draw both for each copy only for them to be replaced.
        return new MimeMessage(headers, Encrypted(armored));
    }

    /// <summary>The outer fields in the order MimeKit writes them for a new message: Date, From, (To), Subject, Message-ID, then Autocrypt.</summary>
    private static Header[] OuterHeaders(MailingList list, DateTimeOffset date, string messageId)
    {
        var template = new MimeMessage();
        template.Headers.Clear();
        template.Date = date;
        template.From.Add(list.Mailbox);
        template.Subject = MinutesMessageFactory.ObscuredSubject;
        template.MessageId = messageId;
        template.Headers.Add(AutocryptHeader.Create(list.Address, list.PublicKey));
        return [.. template.Headers];
    }

    /// <summary>The same, from subkeys as BouncyCastle parsed them (each made ready for this message only).</summary>
    public MimeMessage CreateFor(MailboxAddress recipient, IEnumerable<PgpPublicKey> encryptionKeys) =>
        CreateFor(recipient, encryptionKeys.DistinctBy(k => k.KeyId).Select(RecipientKey.For).ToList());

    private MultipartEncrypted Encrypted(byte[] armored)
    {
        // Both parts are 7-bit ASCII already ("Version: 1" and armor). MimeKit's Prepare would base64 any
        // application/* part (35% larger, and some tools then fail on the raw mail), so they are marked 7bit
        // here and our SMTP client skips Prepare (see PgpMimeSmtpClient). The content is declared 7bit as well, so
        // MimeKit writes it as it is instead of through an encoder.
        var multipart = new MultipartEncrypted();
        multipart.ContentType.Parameters["protocol"] = _encryptionProtocol;
        multipart.Add(new ApplicationPgpEncrypted { ContentTransferEncoding = ContentEncoding.SevenBit });
        multipart.Add(new MimePart("application", "octet-stream")
        {
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "encrypted.asc" },
            ContentTransferEncoding = ContentEncoding.SevenBit,
            Content = new MimeContent(new MemoryStream(armored, writable: false), ContentEncoding.SevenBit),
        });
        return multipart;
    }

    /// <summary>
    /// The RFC 3156 multipart/signed around <paramref name="inner"/>, as canonical bytes (the literal data every member
    /// decrypts): the steps of MimeKit's <c>MultipartSigned.Create</c> (prepare for 7 bit, write through its own RFC 3156
    /// filters, parse that back so it is written again unchanged, a detached signature as second part), with our
    /// <see cref="TextSignature"/> (native SHA-512, the same packet as BouncyCastle's generator) for the signature.
    /// </summary>
    private (byte[] Whole, byte[] SignedEntity, byte[] SignaturePart) SignedPart(Multipart inner, ListPgpContext context, MailingList list)
    {
        inner.Prepare(EncodingConstraint.SevenBit, 78);
        var signedEntity = Canonical(stream => inner.WriteTo(CanonicalFormat, stream));
        var signature = new TextSignature(context.GetSigningKey(list.Mailbox)).Sign(Date, signedEntity);

        var signed = new MultipartSigned();
        signed.ContentType.Parameters["protocol"] = context.SignatureProtocol;
        signed.ContentType.Parameters["micalg"] = context.GetDigestAlgorithmName(DigestAlgorithm.Sha512);
        using (var parsed = new MemoryStream(signedEntity, writable: false))
        {
            signed.Add(MimeEntity.Load(parsed));
        }

        var signaturePart = SignaturePartEntity(signature);
        signed.Add(signaturePart);
        using var whole = new MemoryStream(signedEntity.Length + 1024);
        signed.WriteTo(CanonicalFormat, whole);
        var bytes = whole.ToArray();
        if (bytes.AsSpan().IndexOf(signedEntity) < 0)
        {
            // What members verify must be exactly what was signed; a MimeKit that wrote the parsed entity otherwise
            // would send every member a bad signature.
            throw new InvalidOperationException("MimeKit wrote the signed entity differently from how it was signed; cannot prepare the batch.");
        }

        using var signatureBytes = new MemoryStream();
        signaturePart.WriteTo(CanonicalFormat, signatureBytes);
        return (bytes, signedEntity, signatureBytes.ToArray());
    }

    /// <summary>The application/pgp-signature part for a signature packet.</summary>
    private static ApplicationPgpSignature SignaturePartEntity(byte[] packet) =>
        new(new MemoryStream(ArmoredSignature(packet), writable: false));

    /// <summary>The signature part as it is written inside multipart/signed (canonical).</summary>
    private static byte[] SignaturePart(byte[] packet)
    {
        using var output = new MemoryStream(512);
        SignaturePartEntity(packet).WriteTo(CanonicalFormat, output);
        return output.ToArray();
    }

    /// <summary>
    /// A member's footer: an inline text/plain part (UTF-8, quoted-printable when needed), the last of the minutes'
    /// parts, so every reader shows it after the minutes and outside any attachment.
    /// </summary>
    private static TextPart FooterPart(string text) => new("plain")
    {
        Text = text,
        ContentDisposition = new ContentDisposition(ContentDisposition.Inline),
    };

    /// <summary>
    /// The protected header block (RFC 9788 §2): the user-facing fields every member shares, then HP-Outer copies of
    /// what the outside shows of them (§2.2). No <c>To:</c>: see the class remarks.
    /// </summary>
    internal static void AddProtectedHeaders(HeaderList headers, MailboxAddress from, string subject, DateTimeOffset date, string messageId)
    {
        AddUserFacingHeaders(headers, from, subject, date, messageId);
        var outer = new HeaderList();
        AddUserFacingHeaders(outer, from, MinutesMessageFactory.ObscuredSubject, date, messageId);
        foreach (var header in outer)
        {
            headers.Add(new Header("HP-Outer", $"{header.Field}: {header.Value}"));
        }
    }

    private static void AddUserFacingHeaders(HeaderList headers, MailboxAddress from, string subject, DateTimeOffset date, string messageId)
    {
        headers.Add(HeaderId.Date, DateUtils.FormatDate(date));
        headers.Add(HeaderId.From, from.ToString(FormatOptions.Default, true));
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
            filtered.Add(new Unix2DosFilter());
            write(filtered);
            filtered.Flush();
        }

        return memory.ToArray();
    }

    /// <summary>The signature as the application/pgp-signature part carries it: armored, no Version header.</summary>
    private static byte[] ArmoredSignature(byte[] packet)
    {
        using var output = new MemoryStream();
        using (var armored = new ArmoredOutputStream(output, false))
        {
            armored.Write(packet);
        }

        return output.ToArray();
    }

    private static FormatOptions CreateCanonicalFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
