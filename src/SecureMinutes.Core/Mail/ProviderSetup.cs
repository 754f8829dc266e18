using System.Net;
using System.Text.RegularExpressions;
using SecureMinutes.Storage;

namespace SecureMinutes.Mail;

/// <summary>Validates and records how a list sends. Refuses what would send mail in clear over a network.</summary>
public sealed partial class ProviderSetup(ListStore lists, ProviderStore providers, TimeProvider time)
{
    public async Task<ProviderSettings> SetSmtpAsync(string listName, string host, int port, string security, string? user,
        string? passwordVariable, string? socks5, string? trustCertificatePath, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        host = host.Trim();
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@'))
        {
            throw new UserFacingException($"'{host}' is not a host name");
        }

        if (port is < 1 or > 65535)
        {
            throw new UserFacingException($"{port} is not a TCP port (1-65535)");
        }

        var mode = security.Trim().ToLowerInvariant() switch
        {
            "tls" or "ssl" => SmtpSecurity.Tls,
            "starttls" => SmtpSecurity.StartTls,
            "none" => SmtpSecurity.None,
            _ => throw new UserFacingException($"--security must be tls, starttls or none (not '{security}')"),
        };
        if (mode == SmtpSecurity.None && (!IsLoopback(host) || socks5 is not null))
        {
            throw new UserFacingException("--security none sends the password and envelope in clear: it is allowed only for a server on this machine (127.0.0.1, ::1, localhost)");
        }

        if (user is not null && passwordVariable is null)
        {
            throw new UserFacingException("--user needs --password-env VAR: the password is read from that environment variable when sending, never stored");
        }

        if (passwordVariable is not null && !VariableName().IsMatch(passwordVariable))
        {
            throw new UserFacingException($"'{passwordVariable}' is not an environment variable name");
        }

        if (socks5 is not null)
        {
            _ = Socks5Address.Parse(socks5);
        }

        var settings = new ProviderSettings(TransportKind.Smtp, host, port, mode, user, passwordVariable, socks5,
            trustCertificatePath is null ? null : CertificatePin.Load(trustCertificatePath));
        await providers.SetAsync(list.Id, settings, time.GetUtcNow(), cancellationToken);
        return settings;
    }

    public async Task<ProviderSettings> SetOutboxAsync(string listName, string directory, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var settings = new ProviderSettings(TransportKind.Outbox, OutboxDirectory: Path.GetFullPath(directory));
        await providers.SetAsync(list.Id, settings, time.GetUtcNow(), cancellationToken);
        return settings;
    }

    internal static bool IsVariableName(string name) => VariableName().IsMatch(name);

    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
