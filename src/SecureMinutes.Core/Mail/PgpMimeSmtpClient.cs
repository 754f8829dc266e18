using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>
/// MailKit's SMTP client, minus one step: <c>Prepare</c> would re-encode the armored PGP part and the
/// <c>Version: 1</c> part as base64. Our messages are fully 7-bit already (ASCII headers, armored body),
/// so there is nothing to prepare.
/// </summary>
public sealed class PgpMimeSmtpClient : SmtpClient
{
    public PgpMimeSmtpClient()
    {
    }

    public PgpMimeSmtpClient(IProtocolLogger logger) : base(logger)
    {
    }

    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
    }
}
