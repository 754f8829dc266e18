using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SecureMinutes.Mail;

/// <summary>
/// Trust for a provider with a self-signed certificate: the server's certificate must be the pinned one,
/// or be issued by it (a private CA) for the right host name. Nothing else is accepted.
/// </summary>
public sealed class CertificatePin(byte[] pinnedDer)
{
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        using var pinned = X509CertificateLoader.LoadCertificate(pinnedDer);
        using var presented = new X509Certificate2(certificate);
        if (presented.RawData.AsSpan().SequenceEqual(pinned.RawData))
        {
            return true;
        }

        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.Add(pinned);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch missing intermediates: the download would bypass a SOCKS proxy (Tor).
        customChain.ChainPolicy.DisableCertificateDownloads = true;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return customChain.Build(presented);
    }

    /// <summary>A certificate (even a PEM chain) is a few KiB.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>Reads a PEM or DER certificate file given to <c>--trust-cert</c>.</summary>
    public static byte[] Load(string path)
    {
        try
        {
            var bytes = LocalFile.Read(path, MaxFileBytes, "a certificate");
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            using var certificate = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
            return certificate.RawData;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new UserFacingException($"{path} is not a readable certificate (PEM or DER): {ex.Message.TrimEnd('.')}");
        }
    }
}
