using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Proxy;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>
/// Sends through an SMTP submission server with MailKit: implicit TLS or required STARTTLS, AUTH with a
/// password read from the environment at connect time, optional SOCKS5 proxy (Tor) that also resolves the
/// host name, optional certificate pin. One connection per session; MailKit pipelines the commands.
/// </summary>
public sealed class SmtpMailTransport(ProviderSettings settings, Func<string, string?>? environment = null) : IMailTransport
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public async Task<IMailSession> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = settings.Host ?? throw new TransportException(TransportFailure.Configuration, "the provider has no host");
        string? password = null;
        if (settings.Username is not null)
        {
            var variable = settings.PasswordVariable ?? throw new TransportException(TransportFailure.Configuration,
                "the provider has a user but no --password-env variable");
            password = _environment(variable);
            if (string.IsNullOrEmpty(password))
            {
                throw new TransportException(TransportFailure.Configuration, $"the SMTP password variable {variable} is not set in this process's environment");
            }
        }

        var client = new PgpMimeSmtpClient
        {
            Timeout = 60_000,
            // The greeting name ends up in the provider's Received: header; an address literal names no machine.
            LocalDomain = "[127.0.0.1]",
            // Revocation checks would fetch CRLs/OCSP outside the SOCKS proxy and fail on closed networks.
            CheckCertificateRevocation = false,
        };
        if (settings.Socks5 is { } proxy)
        {
            var (proxyHost, proxyPort) = Socks5Address.Parse(proxy);
            client.ProxyClient = new Socks5Client(proxyHost, proxyPort);
        }

        if (settings.TrustedCertificate is { } pinned)
        {
            client.ServerCertificateValidationCallback = new CertificatePin(pinned).Validate;
        }

        var stage = "connect";
        try
        {
            await client.ConnectAsync(host, settings.Port, settings.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            }, cancellationToken);
            if (settings.Username is not null)
            {
                stage = "login";
                await client.AuthenticateAsync(settings.Username, password!, cancellationToken);
            }

            return new Session(client, host);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw Describe(ex, host, settings.Port, stage, settings.Username);
        }
    }

    private static TransportException Describe(Exception ex, string host, int port, string stage, string? user) => ex switch
    {
        TransportException t => t,
        SslHandshakeException => new TransportException(TransportFailure.Tls,
            $"TLS with {host}:{port} failed: the server's certificate is not trusted or the handshake was refused (pin a self-signed certificate with provider set --trust-cert FILE)", ex),
        AuthenticationException => new TransportException(TransportFailure.Authentication,
            $"{host} refused the login for {user}: {OneLine(ex.Message)}", ex),
        NotSupportedException when stage == "login" => new TransportException(TransportFailure.Configuration,
            $"{host}:{port} offers no login (AUTH) on this connection; check --security and the port", ex),
        NotSupportedException => new TransportException(TransportFailure.Tls,
            $"{host}:{port} does not offer STARTTLS; use --security tls for port 465, or another server", ex),
        SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable } command => new TransportException(TransportFailure.RateLimited,
            $"{host} is not accepting connections now: {(int)command.StatusCode} {OneLine(command.Message)}", ex),
        SmtpCommandException command => new TransportException(TransportFailure.Connection,
            $"{host} answered {(int)command.StatusCode} {OneLine(command.Message)} during {stage}", ex),
        ProxyProtocolException => new TransportException(TransportFailure.Connection,
            $"the SOCKS5 proxy could not reach {host}:{port}: {OneLine(ex.Message)}", ex),
        SocketException socket => new TransportException(TransportFailure.Connection,
            $"cannot reach {host}:{port}: {OneLine(socket.Message)}", ex),
        OperationCanceledException or TimeoutException => new TransportException(TransportFailure.Connection,
            $"{host}:{port} did not answer in time", ex),
        IOException or SmtpProtocolException => new TransportException(TransportFailure.Connection,
            $"the connection to {host}:{port} was lost during {stage}: {OneLine(ex.Message)}", ex),
        _ => new TransportException(TransportFailure.Connection, $"cannot use {host}:{port}: {OneLine(ex.Message)}", ex),
    };

    internal static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private sealed class Session(SmtpClient client, string host) : IMailSession
    {
        public async Task<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            try
            {
                var reply = await client.SendAsync(FormatOptions.Default, message, sender, [recipient], cancellationToken);
                return SendResult.Accepted(OneLine(reply));
            }
            catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
            {
                var code = (int)ex.StatusCode;
                return new SendResult(code is >= 400 and < 500 ? SendOutcome.TransientFailure : SendOutcome.PermanentFailure, $"{code} {OneLine(ex.Message)}");
            }
            catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.SenderNotAccepted)
            {
                var code = (int)ex.StatusCode;
                throw code is >= 400 and < 500
                    ? new TransportException(TransportFailure.RateLimited, $"{host} deferred the sender: {code} {OneLine(ex.Message)}", ex)
                    : new TransportException(TransportFailure.SenderRefused, $"{host} refuses {sender.Address} as sender: {code} {OneLine(ex.Message)}", ex);
            }
            catch (SmtpCommandException ex)
            {
                var code = (int)ex.StatusCode;
                return new SendResult(code is >= 400 and < 500 ? SendOutcome.TransientFailure : SendOutcome.PermanentFailure, $"{code} {OneLine(ex.Message)}");
            }
            catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException)
            {
                throw new TransportException(TransportFailure.Connection, $"the connection to {host} was lost: {OneLine(ex.Message)}", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    using var quitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await client.DisconnectAsync(quit: true, quitTimeout.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or SocketException or OperationCanceledException or SmtpCommandException)
            {
                // Everything was already recorded; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
