using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureMinutes.Mail;

namespace SecureMinutes.Doctor;

/// <summary>
/// doctor's TLS line: the protocol and the certificate presented, or why it was refused, in terms an admin can
/// act on (the SHA-256 fingerprint to compare on their own server, the name the certificate does carry).
/// </summary>
internal static class CertificateReport
{
    private static readonly TimeSpan ExpiresSoon = TimeSpan.FromDays(14);

    public static DoctorCheck Established(ProviderSettings settings, string listName, string endpoint, SslProtocols protocol, X509Certificate2? presented)
    {
        if (settings.Security == SmtpSecurity.None)
        {
            return DoctorCheck.Skip("tls", $"--security none: {endpoint} is on this machine, nothing crosses a network");
        }

        if (presented is null)
        {
            return DoctorCheck.Ok("tls", $"{Name(protocol)} with {endpoint}");
        }

        var trust = settings.TrustedCertificate is null ? "trusted by this system" : "matches the pinned certificate";
        var notAfter = presented.NotAfter.ToUniversalTime();
        var detail = FormattableString.Invariant(
            $"{Name(protocol)} with {endpoint}; certificate {presented.GetNameInfo(X509NameType.SimpleName, false)} {trust}, valid until {notAfter:yyyy-MM-dd}");
        if (notAfter - DateTime.UtcNow >= ExpiresSoon)
        {
            return DoctorCheck.Ok("tls", detail);
        }

        return DoctorCheck.Warn("tls", detail, settings.TrustedCertificate is null
            ? "the provider's certificate expires soon; nothing to do unless it is not renewed in time"
            : $"your pinned certificate expires soon: pin the renewed one with provider set {listName} --trust-cert FILE");
    }

    public static DoctorCheck Refused(ProviderSettings settings, string listName, string host, X509Certificate2 certificate, SslPolicyErrors errors)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var fingerprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (settings.TrustedCertificate is not null)
        {
            return DoctorCheck.Fail("tls", $"{host} presented a certificate ({name}, SHA-256 {fingerprint}) that is not the pinned one",
                $"if the provider changed its certificate on purpose, pin the new one: provider set {listName} --trust-cert FILE");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return DoctorCheck.Fail("tls", $"the certificate of {host} is for {name}, not for {host}",
                $"connect by the name the certificate carries: provider set {listName} --host {name}");
        }

        return DoctorCheck.Fail("tls",
            $"the certificate of {host} ({name}, issued by {certificate.GetNameInfo(X509NameType.SimpleName, true)}, SHA-256 {fingerprint}) is not trusted by this system (self-signed or unknown CA)",
            $"if this is your own server, check that fingerprint on it and pin the certificate: provider set {listName} --trust-cert FILE");
    }

    private static string Name(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };
}
