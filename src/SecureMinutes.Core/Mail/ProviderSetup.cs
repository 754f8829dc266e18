using System.Net;
using System.Text.RegularExpressions;
using SecureMinutes.Storage;

namespace SecureMinutes.Mail;

/// <summary>What an admin typed on <c>provider set</c>: a preset fills whatever is not given explicitly.</summary>
public sealed record SmtpProviderRequest(
    string? Preset = null,
    string? Host = null,
    int? Port = null,
    string? Security = null,
    string? User = null,
    string? PasswordVariable = null,
    string? Socks5 = null,
    bool Tor = false,
    string? TrustCertificatePath = null);

/// <summary>What was stored, and the list rate the preset set (null when the list's rate was left alone).</summary>
public sealed record ProviderSetResult(ProviderSettings Settings, ProviderPreset? Preset, int? RateApplied);

/// <summary>Validates and records how a list sends. Refuses what would send mail in clear over a network.</summary>
public sealed partial class ProviderSetup(ListStore lists, ProviderStore providers, TimeProvider time)
{
    public async Task<ProviderSettings> SetSmtpAsync(string listName, string host, int port, string security, string? user,
        string? passwordVariable, string? socks5, string? trustCertificatePath, CancellationToken cancellationToken = default) =>
        (await SetSmtpAsync(listName, new SmtpProviderRequest(null, host, port, security, user, passwordVariable, socks5, false, trustCertificatePath),
            cancellationToken)).Settings;

    public async Task<ProviderSetResult> SetSmtpAsync(string listName, SmtpProviderRequest request, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var preset = request.Preset is null ? null : ProviderPreset.Find(request.Preset);
        var host = (request.Host ?? preset?.Host ?? throw new UserFacingException(
            $"--host is required (or --preset {string.Join('|', ProviderPreset.All.Where(p => !p.IsCustom).Select(p => p.Name))})")).Trim();
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@'))
        {
            throw new UserFacingException($"'{host}' is not a host name");
        }

        SmtpSecurity? explicitSecurity = request.Security is null ? null : ParseSecurity(request.Security);
        var port = request.Port ?? explicitSecurity switch
        {
            SmtpSecurity.Tls => ProviderPreset.TlsPort,
            SmtpSecurity.StartTls => ProviderPreset.StartTlsPort,
            SmtpSecurity.None => throw new UserFacingException("--security none needs --port"),
            _ when preset is not null => ProviderPreset.DefaultPort,
            _ => throw new UserFacingException("--port is required (465 for tls, 587 for starttls)"),
        };
        if (port is < 1 or > 65535)
        {
            throw new UserFacingException($"{port} is not a TCP port (1-65535)");
        }

        var mode = explicitSecurity ?? ProviderPreset.SecurityForPort(port)
            ?? throw new UserFacingException($"--security is required for port {port}: tls, starttls or none");
        if (request.Tor && request.Socks5 is not null)
        {
            throw new UserFacingException("give --tor or --socks5 HOST:PORT, not both (--tor means --socks5 " + Socks5Address.Tor + ")");
        }

        var socks5 = request.Tor ? Socks5Address.Tor : request.Socks5;
        if (mode == SmtpSecurity.None && (!IsLoopback(host) || socks5 is not null))
        {
            throw new UserFacingException("--security none sends the password and envelope in clear: it is allowed only for a server on this machine (127.0.0.1, ::1, localhost)");
        }

        if (socks5 is null && host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserFacingException($"{host} is an onion service, reachable only through Tor: add --tor (or --socks5 HOST:PORT)");
        }

        var user = request.User;
        if (user is null && preset is { IsCustom: false })
        {
            throw new UserFacingException($"{preset.Name} requires a login: give --user ({preset.UserHint}) and --password-env VAR");
        }

        if (user is not null && request.PasswordVariable is null)
        {
            throw new UserFacingException("--user needs --password-env VAR: the password is read from that environment variable when sending, never stored");
        }

        if (request.PasswordVariable is { } variable && !VariableName().IsMatch(variable))
        {
            throw new UserFacingException($"'{variable}' is not an environment variable name");
        }

        if (socks5 is not null)
        {
            _ = Socks5Address.Parse(socks5);
        }

        var settings = new ProviderSettings(TransportKind.Smtp, host, port, mode, user, request.PasswordVariable, socks5,
            request.TrustCertificatePath is null ? null : CertificatePin.Load(request.TrustCertificatePath));
        await providers.SetAsync(list.Id, settings, time.GetUtcNow(), cancellationToken);

        // The preset's sending limit becomes the list's rate unless the admin already chose one (list set --rate).
        int? rateApplied = null;
        if (preset?.RatePerMinute is { } rate && list.RatePerMinute is null)
        {
            await lists.UpdateSettingsAsync(list.Id, rate, list.DailyCap, list.RedistributeLast, list.DigestCron, cancellationToken);
            rateApplied = rate;
        }

        return new ProviderSetResult(settings, preset, rateApplied);
    }

    public async Task<ProviderSettings> SetOutboxAsync(string listName, string directory, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var settings = new ProviderSettings(TransportKind.Outbox, OutboxDirectory: Path.GetFullPath(directory));
        await providers.SetAsync(list.Id, settings, time.GetUtcNow(), cancellationToken);
        return settings;
    }

    internal static bool IsVariableName(string name) => VariableName().IsMatch(name);

    private static SmtpSecurity ParseSecurity(string security) => security.Trim().ToLowerInvariant() switch
    {
        "tls" or "ssl" => SmtpSecurity.Tls,
        "starttls" => SmtpSecurity.StartTls,
        "none" => SmtpSecurity.None,
        _ => throw new UserFacingException($"--security must be tls, starttls or none (not '{security}')"),
    };

    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
