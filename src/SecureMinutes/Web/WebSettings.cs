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

    /// <summary>
    /// Sets <see cref="SignInAttemptsPerMinute"/> for <c>serve</c> (e.g. an AG where everyone signs in through the venue's
    /// one NAT address): a positive whole number; unset or anything else keeps the default.
    /// </summary>
    public const string SignInAttemptsVariable = "SECUREMINUTES_SIGNIN_ATTEMPTS_PER_MINUTE";

    /// <summary>The sign-in limit <see cref="SignInAttemptsVariable"/> gives, or the default.</summary>
    public static int SignInAttemptsFrom(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var perMinute) && perMinute > 0
            ? perMinute : new WebSettings().SignInAttemptsPerMinute;

    /// <summary>
    /// Join-page submissions (key checks, challenge requests, confirmations) one client address may make per minute. Generous:
    /// at an AG, everyone on the venue's wifi shares one address.
    /// </summary>
    public int JoinPostsPerMinute { get; init; } = 30;

    /// <summary>Reads <c>--trusted-proxy</c> values or the comma-separated variable: "127.0.0.1", "10.0.0.0/8", "::1".</summary>
    /// <exception cref="UserFacingException">A value that is neither an address nor a network.</exception>
    public static IReadOnlyList<IPNetwork> ParseProxies(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => IPNetwork.TryParse(v, out var network) ? network
                : IPAddress.TryParse(v, out var address) ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : throw new UserFacingException($"--trusted-proxy '{v}' is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"))
            .ToList();
}
