using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;
using SecureMinutes.Keys;
using SecureMinutes.SelfService;

namespace SecureMinutes.Mail;

/// <summary>
/// The keyless notice as a mail: RFC 3156 §5 <c>multipart/signed</c> (SHA-512, the list's key, through MimeKit's
/// <see cref="MultipartSigned.Create(CryptographyContext, MailboxAddress, DigestAlgorithm, MimeEntity, CancellationToken)"/>
/// and <see cref="ListPgpContext"/>'s signature) around one UTF-8 text part, and NOT encrypted: the member it goes to has
/// no key we can encrypt to, which is the very thing it tells them.
/// <para>
/// Why this does not break "never fall back to plaintext": nothing of any minutes is in it. It is built from a
/// <see cref="KeylessNotice"/> alone (the list, the date the minutes were sent, the reason in words, the member's own
/// link), which has no field that could hold a submission's subject, text or attachments; the minutes' copy for that
/// member stays skipped (<c>skipped-no-key</c>) and is sent, encrypted, only once they have a usable key again. This is the
/// only mail the service sends unencrypted, and this is the only place such a mail is made.
/// </para>
/// </summary>
public static class KeylessNoticeMessage
{
    /// <summary>
    /// The signed notice for <paramref name="notice"/>'s member, dated <paramref name="date"/> (whole seconds: the signature's
    /// time comes from <paramref name="context"/>'s clock, the same instant). <paramref name="context"/> must hold the list's
    /// current secret key.
    /// </summary>
    public static MimeMessage Create(ListPgpContext context, KeylessNotice notice, DateTimeOffset date)
    {
        var (subject, text) = KeylessNoticeText.For(notice);
        var messageId = MimeUtils.GenerateMessageId(notice.List.Domain);
        var body = new TextPart("plain") { Text = text };
        body.ContentType.Charset = "utf-8";
        // RFC 9788 header protection for a signed-only mail (hp="clear": nothing hidden, the same fields outside): the
        // subject, sender, recipient, date and id are signed with the text, so nobody on the way can change what the
        // notice says it is, and clients that read protected headers (bc-check, as K-9) find the subject where they look.
        body.ContentType.Parameters.Add("protected-headers", "v1");
        body.ContentType.Parameters.Add("hp", "clear");
        body.Headers.Add(HeaderId.Date, DateUtils.FormatDate(date));
        body.Headers.Add(HeaderId.From, notice.List.Mailbox.ToString(FormatOptions.Default, true));
        body.Headers.Add(HeaderId.To, notice.Member.ToString(FormatOptions.Default, true));
        body.Headers.Add(HeaderId.Subject, System.Text.Encoding.UTF8, subject);
        body.Headers.Add(HeaderId.MessageId, $"<{messageId}>");
        // MimeKit prepares the part for 7 bits (quoted-printable), writes it canonically and signs those bytes: our SMTP
        // client skips MimeKit's Prepare (PgpMimeSmtpClient), and a signed part must not be re-encoded anyway.
        var signed = MultipartSigned.Create(context, notice.List.Mailbox, DigestAlgorithm.Sha512, body);

        var message = new MimeMessage();
        message.Date = date;
        message.From.Add(notice.List.Mailbox);
        message.To.Add(notice.Member);
        message.Subject = subject;
        message.MessageId = messageId;
        // RFC 3834: an automatic notice, so vacation responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add(AutocryptHeader.Create(notice.List.Address, notice.List.PublicKey));
        message.Body = signed;
        return message;
    }
}
