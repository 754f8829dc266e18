using System.Net;

namespace SecureMinutes.Web;

/// <summary>
/// How <c>serve</c> exposes the web app: where it listens, which reverse proxies may speak for clients
/// (their X-Forwarded-For/-Proto are believed, nobody else's), and how hard sign-in is rate-limited.
/// </summary>
public sealed record WebSettings
{
    public const string TrustedProxyVariable = "SECUREMINUTES_TRUSTED_PROXY";

    /// <summary>Kestrel's listening addresses; <c>--urls</c>, else <c>ASPNETCORE_URLS</c>, else loopback only.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Addresses or networks (CIDR) of reverse proxies whose forwarded headers are honoured; empty: none are.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Sign-in attempts (password, TOTP, passkey) one client address may make per minute.</summary>
    public int SignInAttemptsPerMinute { get; init; } = 10;

    /// <summary>Reads <c>--trusted-proxy</c> values or the comma-separated variable: "127.0.0.1", "10.0.0.0/8", "::1".</summary>
    /// <exception cref="UserFacingException">A value that is neither an address nor a network.</exception>
    public static IReadOnlyList<IPNetwork> ParseProxies(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => IPNetwork.TryParse(v, out var network) ? network
                : IPAddress.TryParse(v, out var address) ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : throw new UserFacingException($"--trusted-proxy '{v}' is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"))
            .ToList();
}
