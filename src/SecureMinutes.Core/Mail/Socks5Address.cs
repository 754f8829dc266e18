using System.Globalization;

namespace SecureMinutes.Mail;

public static class Socks5Address
{
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
}
