using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SecureMinutes.Mail;

namespace SecureMinutes.Net;

/// <summary>
/// HTTP clients for a list's outside traffic (pads, keyservers, WKD). With the list's SOCKS5 proxy set
/// (Tor), every request goes through it and the proxy resolves host names: .NET's SOCKS5 client sends the
/// name, not an address, so no DNS query leaves this machine. TLS certificates are always validated.
/// </summary>
public static class ProxiedHttp
{
    public static HttpClient Create(string? socks5, TimeSpan timeout, RemoteCertificateValidationCallback? certificateValidation = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, timeout.TotalSeconds)),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            UseProxy = socks5 is not null,
        };
        if (socks5 is not null)
        {
            var (host, port) = Socks5Address.Parse(socks5);
            handler.Proxy = new WebProxy(new Uri($"socks5://{host}:{port}"));
        }

        if (certificateValidation is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = certificateValidation;
        }

        if (socks5 is not null)
        {
            // .NET would download a missing intermediate certificate (AIA) over a direct connection, outside the proxy.
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                DisableCertificateDownloads = true,
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        // No User-Agent naming this software or machine: the default is empty, and stays so.
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }
}
