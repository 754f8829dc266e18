namespace SecureMinutes.Mail;

public enum TransportKind
{
    Smtp,
    Outbox,
}

public enum SmtpSecurity
{
    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>Plain connection upgraded with STARTTLS, which is required (port 587).</summary>
    StartTls,

    /// <summary>No TLS at all: accepted for loopback hosts only.</summary>
    None,
}

/// <summary>
/// How a list sends: an SMTP submission server, or (for demos and dry runs) a local outbox folder of .eml
/// files. Holds the <em>name</em> of the environment variable with the SMTP password, never the password.
/// </summary>
public sealed record ProviderSettings(
    TransportKind Kind,
    string? Host = null,
    int Port = 0,
    SmtpSecurity Security = SmtpSecurity.StartTls,
    string? Username = null,
    string? PasswordVariable = null,
    string? Socks5 = null,
    byte[]? TrustedCertificate = null,
    string? OutboxDirectory = null)
{
    public string Describe() => Kind == TransportKind.Outbox
        ? $"outbox folder {OutboxDirectory}"
        : $"{Host}:{Port} ({SecurityText(Security)}){(Username is null ? "" : $", user {Username}")}{(Socks5 is null ? "" : $", via SOCKS5 {Socks5}")}{(TrustedCertificate is null ? "" : ", pinned certificate")}";

    public static string SecurityText(SmtpSecurity security) => security switch
    {
        SmtpSecurity.Tls => "tls",
        SmtpSecurity.StartTls => "starttls",
        _ => "none",
    };
}
