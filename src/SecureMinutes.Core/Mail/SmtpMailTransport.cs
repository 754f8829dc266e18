using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Proxy;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SecureMinutes.Secrets;

namespace SecureMinutes.Mail;

/// <summary>
/// Sends through an SMTP submission server with MailKit: implicit TLS or required STARTTLS, AUTH with a
/// password read from the environment at connect time, optional SOCKS5 proxy (Tor) that also resolves the
/// host name, optional certificate pin. One connection per session; MailKit pipelines the commands.
/// Refusals about the account (rate limits, quotas: see <see cref="ProviderReply"/>) end the session as a
/// <see cref="TransportException"/>, so they are never taken for a member's failure.
/// </summary>
public sealed class SmtpMailTransport(ProviderSettings settings, Func<string, string?>? environment = null) : IMailTransport
{
    private readonly Func<string, string?> _environment = environment ?? SecretEnvironment.Get;

    public async Task<IMailSession> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = settings.Host ?? throw new TransportException(TransportFailure.Configuration, "the provider has no host");
        var password = ReadPassword(settings, _environment);
        var client = CreateClient(settings);
        var stage = "connect";
        try
        {
            if (settings.Socks5 is null)
            {
                await client.ConnectAsync(await OpenSocketAsync(host, settings.Port, client.Timeout, cancellationToken), host, settings.Port,
                    settings.Security.ToSocketOptions(), cancellationToken);
            }
            else
            {
                await client.ConnectAsync(host, settings.Port, settings.Security.ToSocketOptions(), cancellationToken);
            }
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
            throw Describe(ex, settings, stage);
        }
    }

    /// <summary>
    /// The TCP connection to the provider, with Nagle's algorithm off (<see cref="Socket.NoDelay"/>), which MailKit leaves
    /// on when it opens the socket itself. SMTP is a conversation of short lines: with Nagle on, the last short write of
    /// each message (the end of its data) waits for the server's acknowledgement of the previous one, which the server
    /// delays (40 ms on Linux) since it has nothing to say until the data ends: one stall per message sent (issue 12:
    /// section 4's four workers each waited ~55 ms per copy). Through a SOCKS5 proxy, MailKit's own connection is kept.
    /// </summary>
    /// <exception cref="SocketException">The host does not resolve or refuses the connection.</exception>
    /// <exception cref="OperationCanceledException">No connection within <paramref name="timeoutMilliseconds"/>, or cancelled.</exception>
    private static async Task<Socket> OpenSocketAsync(string host, int port, int timeoutMilliseconds, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutMilliseconds);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The SMTP password from the environment variable the settings name (never stored), or null without a login.</summary>
    internal static string? ReadPassword(ProviderSettings settings, Func<string, string?> environment)
    {
        if (settings.Username is null)
        {
            return null;
        }

        var variable = settings.PasswordVariable ?? throw new TransportException(TransportFailure.Configuration,
            "the provider has a user but no --password-env variable");
        var password = environment(variable);
        return string.IsNullOrEmpty(password)
            ? throw new TransportException(TransportFailure.Configuration, $"the SMTP password variable {variable} is not set in this process's environment")
            : password;
    }

    /// <summary>
    /// A client configured as the settings say: proxy, certificate trust, timeouts. <paramref name="observe"/>
    /// sees each certificate check (what was presented, .NET's findings, our verdict) without changing it.
    /// </summary>
    internal static PgpMimeSmtpClient CreateClient(ProviderSettings settings, Action<X509Certificate2?, SslPolicyErrors, bool>? observe = null)
    {
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
            client.ProxyClient = Socks5Address.ProxyClient(proxy);
        }

        // Without a pin, exactly MailKit's default rule (no policy error at all), written out so doctor can watch it.
        RemoteCertificateValidationCallback verdict = settings.TrustedCertificate is { } pinned
            ? new CertificatePin(pinned).Validate
            : (_, _, _, errors) => errors == SslPolicyErrors.None;
        client.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            var valid = verdict(sender, certificate, chain, errors);
            observe?.Invoke(certificate is null ? null : new X509Certificate2(certificate), errors, valid);
            return valid;
        };
        return client;
    }

    internal static TransportException Describe(Exception ex, ProviderSettings settings, string stage)
    {
        var (host, port, user) = (settings.Host, settings.Port, settings.Username);
        return ex switch
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
            SocketException socket when settings.Socks5 is { } proxy => new TransportException(TransportFailure.Connection,
                $"cannot reach the SOCKS5 proxy {proxy}: {OneLine(socket.Message)} (is Tor running?)", ex),
            SocketException socket => new TransportException(TransportFailure.Connection,
                $"cannot reach {host}:{port}: {OneLine(socket.Message)}", ex),
            OperationCanceledException or TimeoutException => new TransportException(TransportFailure.Connection,
                $"{host}:{port} did not answer in time", ex),
            IOException or SmtpProtocolException => new TransportException(TransportFailure.Connection,
                $"the connection to {host}:{port} was lost during {stage}: {OneLine(ex.Message)}", ex),
            _ => new TransportException(TransportFailure.Connection, $"cannot use {host}:{port}: {OneLine(ex.Message)}", ex),
        };
    }

    /// <summary>A refusal that concerns the account (rate, quota) as a session failure; null when it concerns the recipient.</summary>
    internal static TransportException? AccountRefusal(string host, int code, string text, Exception inner) => ProviderReply.Classify(code, text) switch
    {
        ReplyMeaning.RateLimited => new TransportException(TransportFailure.RateLimited, $"{host} asks to slow down: {code} {text}", inner),
        ReplyMeaning.QuotaExceeded => new TransportException(TransportFailure.QuotaExceeded, $"{host} says the sending quota is used up: {code} {text}", inner)
        {
            RetryAfter = ProviderReply.QuotaWindow(text),
        },
        _ => null,
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
            catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.SenderNotAccepted)
            {
                var code = (int)ex.StatusCode;
                var text = OneLine(ex.Message);
                // Any deferral of our own address is about the account (rate, load), never about a member.
                throw AccountRefusal(host, code, text, ex)
                    ?? (code is >= 400 and < 500
                        ? new TransportException(TransportFailure.RateLimited, $"{host} deferred the sender: {code} {text}", ex)
                        : new TransportException(TransportFailure.SenderRefused, $"{host} refuses {sender.Address} as sender: {code} {text}", ex));
            }
            catch (SmtpCommandException ex)
            {
                var code = (int)ex.StatusCode;
                var text = OneLine(ex.Message);
                if (AccountRefusal(host, code, text, ex) is { } account)
                {
                    throw account;
                }

                return new SendResult(code is >= 400 and < 500 ? SendOutcome.TransientFailure : SendOutcome.PermanentFailure, $"{code} {text}");
            }
            catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException)
            {
                throw new TransportException(TransportFailure.Connection, $"the connection to {host} was lost: {OneLine(ex.Message)}", ex);
            }
        }

        public ValueTask DisposeAsync() => MailSessionClose.QuietlyAsync(client);
    }
}
