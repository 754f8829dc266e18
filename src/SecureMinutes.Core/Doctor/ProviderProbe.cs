using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Proxy;
using MailKit.Net.Smtp;
using MailKit.Security;
using SecureMinutes.Mail;

namespace SecureMinutes.Doctor;

/// <summary>
/// The network half of <c>doctor</c>: each step a list's delivery takes, tried in order on the real provider
/// with the list's own settings (proxy, certificate pin, login), stopping at the first that fails so the
/// admin sees the cause rather than its consequences. Nothing is sent: the sender check is an envelope
/// (MAIL FROM, RCPT TO the list's own address) without DATA, then RSET.
/// </summary>
public sealed class ProviderProbe(ProviderSettings settings, string listName, string senderAddress, Func<string, string?> environment)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(45);

    public async IAsyncEnumerable<DoctorCheck> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var host = settings.Host!;
        var endpoint = $"{host}:{settings.Port}";
        var via = settings.Socks5 is { } p ? $" through the SOCKS5 proxy {p}" : "";

        var dns = await ResolveAsync(host, cancellationToken);
        yield return dns;
        if (dns.Status == CheckStatus.Fail)
        {
            yield return DoctorCheck.Skip("tcp", "not tried: the name does not resolve");
            yield break;
        }

        var tcp = await ConnectTcpAsync(host, endpoint, via, cancellationToken);
        yield return tcp;
        if (tcp.Status == CheckStatus.Fail)
        {
            yield return DoctorCheck.Skip("tls", "not tried: no connection");
            yield break;
        }

        X509Certificate2? presented = null;
        var policyErrors = SslPolicyErrors.None;
        using var client = SmtpMailTransport.CreateClient(settings, (certificate, errors, _) => (presented, policyErrors) = (certificate, errors));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        var tls = await HandshakeAsync(client, host, endpoint, () => (presented, policyErrors), timeout.Token);
        yield return tls;
        if (tls.Status == CheckStatus.Fail)
        {
            yield return DoctorCheck.Skip("auth", "not tried: no TLS session");
            yield break;
        }

        var auth = await LoginAsync(client, host, timeout.Token);
        yield return auth;
        if (auth.Status == CheckStatus.Fail)
        {
            yield return DoctorCheck.Skip("sender", "not tried: not logged in");
            yield break;
        }

        yield return await ProbeSenderAsync(client, host, timeout.Token);
        try
        {
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
        {
            // The verdicts are in; a failed QUIT changes none of them.
        }
    }

    private async Task<DoctorCheck> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (settings.Socks5 is { } proxy)
        {
            return DoctorCheck.Skip("dns", $"{host} is resolved by the SOCKS5 proxy {proxy}: no DNS query leaves this machine");
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return DoctorCheck.Skip("dns", $"{host} is an address");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            return DoctorCheck.Ok("dns", $"{host} resolves to {string.Join(", ", addresses.Take(4).Select(a => a.ToString()))}");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return DoctorCheck.Fail("dns", $"{host} does not resolve ({SmtpMailTransport.OneLine(ex.Message)})",
                $"check the spelling of the host (provider set {listName} --host NAME, or --preset), and this machine's DNS (/etc/resolv.conf)");
        }
    }

    private async Task<DoctorCheck> ConnectTcpAsync(string host, string endpoint, string via, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        var started = DateTimeOffset.UtcNow;
        try
        {
            if (settings.Socks5 is { } proxy)
            {
                await using var stream = await Socks5Address.ProxyClient(proxy).ConnectAsync(host, settings.Port, timeout.Token);
            }
            else
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(host, settings.Port, timeout.Token);
            }

            return DoctorCheck.Ok("tcp", FormattableString.Invariant($"connected to {endpoint}{via} in {(DateTimeOffset.UtcNow - started).TotalMilliseconds:F0} ms"));
        }
        catch (SocketException ex) when (settings.Socks5 is { } proxy)
        {
            return DoctorCheck.Fail("tcp", $"cannot reach the SOCKS5 proxy {proxy}: {SmtpMailTransport.OneLine(ex.Message)}",
                proxy == Socks5Address.Tor ? "start Tor (e.g. systemctl start tor) on this machine" : $"start the proxy, or correct it: provider set {listName} --socks5 HOST:PORT (or --tor)");
        }
        catch (ProxyProtocolException ex)
        {
            return DoctorCheck.Fail("tcp", $"the SOCKS5 proxy could not reach {endpoint}: {SmtpMailTransport.OneLine(ex.Message)}",
                "check the host and port (465 for tls, 587 for starttls); over Tor, retry in a minute: circuits fail now and then");
        }
        catch (SocketException ex)
        {
            return DoctorCheck.Fail("tcp", $"cannot connect to {endpoint}: {SmtpMailTransport.OneLine(ex.Message)}",
                "check the port (465 for tls, 587 for starttls) and that this machine may connect out on it (firewall, hosting provider)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DoctorCheck.Fail("tcp", FormattableString.Invariant($"no answer from {endpoint}{via} in {StepTimeout.TotalSeconds:F0} s"),
                "check the host and port; a firewall may be dropping the connection");
        }
    }

    private async Task<DoctorCheck> HandshakeAsync(PgpMimeSmtpClient client, string host, string endpoint,
        Func<(X509Certificate2? Certificate, SslPolicyErrors Errors)> observed, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(host, settings.Port, settings.Security.ToSocketOptions(), cancellationToken);
        }
        catch (SslHandshakeException ex)
        {
            var (certificate, errors) = observed();
            return certificate is null
                ? DoctorCheck.Fail("tls", $"the TLS handshake with {endpoint} failed: {SmtpMailTransport.OneLine(ex.Message)}",
                    $"--security tls is for port 465 and starttls for 587: provider set {listName} --port 465 --security tls")
                : CertificateReport.Refused(settings, listName, host, certificate, errors);
        }
        catch (NotSupportedException)
        {
            return DoctorCheck.Fail("tls", $"{endpoint} does not offer STARTTLS, and mail is never sent without TLS",
                $"use implicit TLS: provider set {listName} --port 465 --security tls");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = SmtpMailTransport.Describe(ex, settings, "connect");
            return DoctorCheck.Fail("tls", failure.Message, failure.Failure == TransportFailure.RateLimited
                ? "the provider limits connections: wait a minute and run doctor again"
                : "check the port and --security (465 tls, 587 starttls)");
        }

        return CertificateReport.Established(settings, listName, endpoint, client.SslProtocol, observed().Certificate);
    }

    private async Task<DoctorCheck> LoginAsync(SmtpClient client, string host, CancellationToken cancellationToken)
    {
        if (settings.Username is not { } user)
        {
            return DoctorCheck.Skip("auth", "no login configured (the sender check shows whether the server wants one)");
        }

        string password;
        try
        {
            password = SmtpMailTransport.ReadPassword(settings, environment)!;
        }
        catch (TransportException ex)
        {
            return DoctorCheck.Fail("auth", ex.Message,
                $"export {settings.PasswordVariable}=... in this shell and in the environment of `secureminutes serve`/`worker`");
        }

        try
        {
            await client.AuthenticateAsync(user, password, cancellationToken);
            return DoctorCheck.Ok("auth", $"logged in as {user}");
        }
        catch (AuthenticationException ex)
        {
            return DoctorCheck.Fail("auth", $"{host} refused the login for {user}: {SmtpMailTransport.OneLine(ex.Message)}",
                $"check the password in ${settings.PasswordVariable} and the login name (provider set {listName} --user NAME)");
        }
        catch (NotSupportedException)
        {
            return DoctorCheck.Fail("auth", $"{host} offers no login on this connection",
                "the submission ports (465 tls, 587 starttls) accept logins; check --port and --security");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DoctorCheck.Fail("auth", SmtpMailTransport.Describe(ex, settings, "login").Message, "run doctor again; if it persists, ask the provider");
        }
    }

    private async Task<DoctorCheck> ProbeSenderAsync(PgpMimeSmtpClient client, string host, CancellationToken cancellationToken)
    {
        SmtpResponse response;
        try
        {
            response = await client.ProbeSenderAsync(senderAddress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DoctorCheck.Fail("sender", SmtpMailTransport.Describe(ex, settings, "MAIL FROM").Message, "run doctor again; if it persists, ask the provider");
        }

        return SenderReport.Of(settings, listName, host, senderAddress, (int)response.StatusCode, response.Response);
    }
}
