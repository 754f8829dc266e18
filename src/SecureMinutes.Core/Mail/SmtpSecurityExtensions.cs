using MailKit.Security;

namespace SecureMinutes.Mail;

/// <summary>Our TLS setting in MailKit's terms, for SMTP submission and IMAP mail-in alike.</summary>
public static class SmtpSecurityExtensions
{
    /// <summary>
    /// <see cref="SmtpSecurity.Tls"/>: TLS from the first byte; <see cref="SmtpSecurity.StartTls"/>: STARTTLS, required
    /// (MailKit fails rather than continue in clear when the server does not offer it); <see cref="SmtpSecurity.None"/>: clear.
    /// </summary>
    public static SecureSocketOptions ToSocketOptions(this SmtpSecurity security) => security switch
    {
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };
}
