using System.Globalization;
using SecureMinutes.Mail;

namespace SecureMinutes.Keyring;

/// <summary>
/// Where member keys are refreshed from and when their holders are warned. Set per installation with
/// <c>SECUREMINUTES_*</c> variables (see <see cref="FromEnvironment"/>); every request goes through the
/// list's SOCKS5 proxy when it has one.
/// </summary>
public sealed record KeyringOptions
{
    /// <summary>A Verifying Keyserver (keys.openpgp.org's API), asked by fingerprint; null: not asked.</summary>
    public Uri? VksUrl { get; init; } = new("https://keys.openpgp.org/");

    /// <summary>An HKP keyserver, asked by fingerprint; null: not asked.</summary>
    public Uri? HkpUrl { get; init; } = new("https://keyserver.ubuntu.com/");

    /// <summary>Ask each member's own domain (Web Key Directory) by address.</summary>
    public bool Wkd { get; init; } = true;

    /// <summary>Send WKD requests to this origin instead of the members' domains (a local mirror; tests).</summary>
    public Uri? WkdBaseOverride { get; init; }

    /// <summary>A certificate (DER) trusted for these servers besides the system's, as <c>provider set --trust-cert</c> does for SMTP.</summary>
    public byte[]? TrustedCertificate { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Members refreshed at once (each asks up to three sources).</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Days before a member's key expires on which they (and the admins) are told, once each.</summary>
    public IReadOnlyList<int> ExpiryWarningDays { get; init; } = [30, 7, 1];

    public static KeyringOptions FromEnvironment(Func<string, string?> environment)
    {
        var defaults = new KeyringOptions();
        return defaults with
        {
            VksUrl = environment("SECUREMINUTES_VKS_URL") is { Length: > 0 } vks ? ServerUrl(vks, "SECUREMINUTES_VKS_URL") : defaults.VksUrl,
            HkpUrl = environment("SECUREMINUTES_HKP_URL") is { Length: > 0 } hkp ? ServerUrl(hkp, "SECUREMINUTES_HKP_URL") : defaults.HkpUrl,
            Wkd = environment("SECUREMINUTES_WKD") is not { Length: > 0 } wkd || !IsOff(wkd),
            WkdBaseOverride = environment("SECUREMINUTES_WKD_BASE") is { Length: > 0 } wkdBase ? ServerUrl(wkdBase, "SECUREMINUTES_WKD_BASE") : null,
            TrustedCertificate = environment("SECUREMINUTES_KEYSERVER_TRUST_CERT") is { Length: > 0 } pin ? CertificatePin.Load(pin) : null,
            ExpiryWarningDays = environment("SECUREMINUTES_EXPIRY_WARNING_DAYS") is { Length: > 0 } days ? Days(days) : defaults.ExpiryWarningDays,
        };
    }

    /// <summary>https://, http://, hkps:// (HTTPS) or hkp:// (HTTP on port 11371); "off" disables the source.</summary>
    public static Uri? ServerUrl(string value, string name)
    {
        var text = value.Trim();
        if (IsOff(text))
        {
            return null;
        }

        if (text.StartsWith("hkps://", StringComparison.OrdinalIgnoreCase))
        {
            text = "https://" + text[7..];
        }
        else if (text.StartsWith("hkp://", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new UriBuilder("http://" + text[6..]);
            builder.Port = builder.Uri.IsDefaultPort ? 11371 : builder.Port;
            text = builder.Uri.ToString();
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new UserFacingException($"{name}='{value}' is not a keyserver address (https://…, hkps://…, or off)");
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static bool IsOff(string value) => value.Trim().ToLowerInvariant() is "off" or "no" or "none" or "0";

    private static int[] Days(string text)
    {
        var days = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 365
                ? n
                : throw new UserFacingException($"SECUREMINUTES_EXPIRY_WARNING_DAYS='{text}' must list whole days from 1 to 365, e.g. 30,7,1"))
            .Distinct().OrderDescending().ToArray();
        return days.Length > 0 ? days : throw new UserFacingException("SECUREMINUTES_EXPIRY_WARNING_DAYS is empty");
    }
}
