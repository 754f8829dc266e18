using System.Globalization;
using MailKit.Net.Proxy;

namespace SecureMinutes.Mail;

public static class Socks5Address
{
    /// <summary>Tor's default SocksPort, what <c>--tor</c> stands for.</summary>
    public const string Tor = "127.0.0.1:9050";

    /// <summary>Parses <c>HOST:PORT</c> (or <c>[IPv6]:PORT</c>) as given to <c>--socks5</c>.</summary>
    public static (string Host, int Port) Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UserFacingException($"'{value}' is not a SOCKS5 proxy address (expected HOST:PORT, e.g. 127.0.0.1:9050)");
        }

        return (value[..colon].Trim('[', ']'), port);
    }

    /// <summary>
    /// MailKit's SOCKS5 client for SMTP and IMAP through the proxy. It sends the destination as a host name
    /// (address type "domain"), so the proxy resolves it: no DNS query for the provider leaves this machine.
    /// </summary>
    public static IProxyClient ProxyClient(string value)
    {
        var (host, port) = Parse(value);
        return new Socks5Client(host, port);
    }
}
