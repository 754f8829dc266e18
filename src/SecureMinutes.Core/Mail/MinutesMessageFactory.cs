using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Mail;

/// <summary>
/// Builds the one PGP/MIME message a member receives (RFC 3156 §6.1: multipart/signed inside
/// multipart/encrypted), with RFC 9788 header protection that clients knowing only
/// <c>protected-headers="v1"</c> (Thunderbird, K-9) read too.
/// <para>
/// Signed per member, on purpose: RFC 9788 readers show only the protected (inner) headers, so the inner
/// part must carry this member's <c>To:</c>, and what is inside is what is signed. The body parts are built
/// and encoded once per submission (<see cref="MinutesPayload"/>); per member we add the header block, sign
/// (one Ed25519 signature) and encrypt to that member's encryption subkeys only.
/// </para>
/// </summary>
public sealed class MinutesMessageFactory(TimeProvider time)
{
    /// <summary>The outer Subject: RFC 9788 §5.2's placeholder for an obscured subject.</summary>
    public const string ObscuredSubject = "[...]";

    public MimeMessage Create(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId,
        MailboxAddress recipient, IEnumerable<PgpPublicKey> encryptionKeys)
    {
        var date = time.GetUtcNow();
        var from = list.Mailbox;

        var inner = new Multipart("mixed");
        foreach (var part in payload.BodyParts)
        {
            inner.Add(part);
        }

        inner.ContentType.Parameters.Add("protected-headers", "v1");
        inner.ContentType.Parameters.Add("hp", "cipher");
        AddUserFacingHeaders(inner.Headers, from, recipient, payload.Subject, date, messageId);
        // HP-Outer records what the outside shows, so RFC 9788 readers can tell our obscuring from tampering.
        var outer = new HeaderList();
        AddUserFacingHeaders(outer, from, recipient, ObscuredSubject, date, messageId);
        foreach (var header in outer)
        {
            inner.Headers.Add(new Header("HP-Outer", $"{header.Field}: {header.Value}"));
        }

        var signed = MultipartSigned.Create(context, from, DigestAlgorithm.Sha512, inner);
        MultipartEncrypted encrypted;
        using (RsaModulusCheck.SkipForValidatedKeys())
        {
            encrypted = context.EncryptToKeys(signed, encryptionKeys);
        }

        KeepSevenBit(encrypted);

        var message = new MimeMessage();
        message.Headers.Clear();
        message.Date = date;
        message.From.Add(from);
        message.To.Add(recipient);
        message.Subject = ObscuredSubject;
        message.MessageId = messageId;
        message.Headers.Add(AutocryptHeader.Create(list.Address, list.PublicKey));
        message.Body = encrypted;
        return message;
    }

    private static void AddUserFacingHeaders(HeaderList headers, MailboxAddress from, MailboxAddress to, string subject, DateTimeOffset date, string messageId)
    {
        headers.Add(HeaderId.Date, DateUtils.FormatDate(date));
        headers.Add(HeaderId.From, from.ToString(FormatOptions.Default, true));
        headers.Add(HeaderId.To, to.ToString(FormatOptions.Default, true));
        headers.Add(HeaderId.Subject, System.Text.Encoding.UTF8, subject);
        headers.Add(HeaderId.MessageId, $"<{messageId}>");
    }

    /// <summary>
    /// Both parts of multipart/encrypted are 7-bit ASCII already ("Version: 1" and armor). MimeKit's
    /// Prepare would base64 any application/* part (35% larger, and some tools then fail on the raw mail),
    /// so they are marked 7bit here and our SMTP client skips Prepare (see <see cref="PgpMimeSmtpClient"/>).
    /// </summary>
    private static void KeepSevenBit(MultipartEncrypted encrypted)
    {
        foreach (var part in encrypted.OfType<MimePart>())
        {
            part.ContentTransferEncoding = ContentEncoding.SevenBit;
        }
    }
}
