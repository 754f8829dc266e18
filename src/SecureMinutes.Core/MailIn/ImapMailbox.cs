using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Proxy;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SecureMinutes.Mail;

namespace SecureMinutes.MailIn;

/// <summary>
/// A list's intake folder over IMAP with MailKit: TLS (or required STARTTLS), the password read from the
/// environment at connect time, the list's SOCKS5 proxy if it has one, certificate pin if given.
/// Processed mail is deleted with UID EXPUNGE where the server has UIDPLUS, so no other message goes with it.
/// </summary>
public sealed class ImapMailbox : IAsyncDisposable
{
    private readonly ImapClient _client;
    private readonly IMailFolder _folder;

    private ImapMailbox(ImapClient client, IMailFolder folder)
    {
        _client = client;
        _folder = folder;
    }

    public static async Task<ImapMailbox> OpenAsync(IntakeSettings settings, string? socks5, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var password = environment(settings.PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            throw new TransportException(TransportFailure.Configuration, $"the IMAP password variable {settings.PasswordVariable} is not set in this process's environment");
        }

        var client = new ImapClient { Timeout = 60_000, CheckCertificateRevocation = false };
        if (socks5 is not null)
        {
            client.ProxyClient = Socks5Address.ProxyClient(socks5);
        }

        if (settings.TrustedCertificate is { } pinned)
        {
            client.ServerCertificateValidationCallback = new CertificatePin(pinned).Validate;
        }

        var stage = "connect";
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security.ToSocketOptions(), cancellationToken);
            stage = "login";
            await client.AuthenticateAsync(settings.Username, password, cancellationToken);
            stage = "open";
            var folder = await client.GetFolderAsync(settings.Folder, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            return new ImapMailbox(client, folder);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw Describe(ex, settings, stage);
        }
    }

    public async Task<IReadOnlyList<IMessageSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var uids = await _folder.SearchAsync(SearchQuery.NotDeleted, cancellationToken);
        if (uids.Count == 0)
        {
            return [];
        }

        return (await _folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, cancellationToken))
            .OrderBy(s => s.UniqueId).ToList();
    }

    public Task<MimeMessage> GetAsync(UniqueId uid, CancellationToken cancellationToken) => _folder.GetMessageAsync(uid, cancellationToken);

    public uint UidValidity => _folder.UidValidity;

    public async Task DeleteAsync(UniqueId uid, CancellationToken cancellationToken)
    {
        await _folder.StoreAsync([uid], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        if (_client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            await _folder.ExpungeAsync([uid], cancellationToken);
        }
        else
        {
            await _folder.ExpungeAsync(cancellationToken);
        }
    }

    private static TransportException Describe(Exception ex, IntakeSettings settings, string stage)
    {
        var where = $"{settings.Host}:{settings.Port}";
        return ex switch
        {
            TransportException t => t,
            SslHandshakeException => new TransportException(TransportFailure.Tls,
                $"TLS with {where} failed: the server's certificate is not trusted or the handshake was refused (pin a self-signed certificate with set-intake --trust-cert FILE)", ex),
            AuthenticationException => new TransportException(TransportFailure.Authentication, $"{settings.Host} refused the IMAP login for {settings.Username}", ex),
            FolderNotFoundException => new TransportException(TransportFailure.Configuration, $"{settings.Host} has no folder '{settings.Folder}' for {settings.Username}", ex),
            NotSupportedException => new TransportException(TransportFailure.Tls, $"{where} does not offer STARTTLS; use --security tls for port 993", ex),
            ProxyProtocolException => new TransportException(TransportFailure.Connection, $"the SOCKS5 proxy could not reach {where}", ex),
            SocketException => new TransportException(TransportFailure.Connection, $"cannot reach {where}: {SmtpMailTransport.OneLine(ex.Message)}", ex),
            OperationCanceledException or TimeoutException => new TransportException(TransportFailure.Connection, $"{where} did not answer in time", ex),
            _ => new TransportException(TransportFailure.Connection, $"IMAP with {where} failed during {stage}: {SmtpMailTransport.OneLine(ex.Message)}", ex),
        };
    }

    public ValueTask DisposeAsync() => MailSessionClose.QuietlyAsync(_client);
}
