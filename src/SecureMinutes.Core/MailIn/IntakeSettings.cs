using SecureMinutes.Mail;

namespace SecureMinutes.MailIn;

/// <summary>
/// The IMAP mailbox a list receives minutes by mail in. Like the SMTP provider, it holds the <em>name</em>
/// of the environment variable with the password, never the password; the list's SOCKS5 proxy (Tor), if
/// any, is used for IMAP too.
/// </summary>
public sealed record IntakeSettings(string Host, int Port, SmtpSecurity Security, string Username, string PasswordVariable, string Folder,
    byte[]? TrustedCertificate = null)
{
    public string Describe() =>
        $"{Host}:{Port} ({ProviderSettings.SecurityText(Security)}), user {Username}, folder {Folder}{(TrustedCertificate is null ? "" : ", pinned certificate")}";
}
