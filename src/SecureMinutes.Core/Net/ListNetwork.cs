using System.Net.Security;
using MailKit.Net.Proxy;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Net;

/// <summary>
/// The one way a feature reaches the outside world on behalf of a list. A list sending over Tor
/// (<c>provider set --tor</c> or <c>--socks5</c>) must not leak its pads, keyserver lookups or mailbox reads
/// onto a direct connection, nor resolve their host names locally; so pad readers, key refreshers and IMAP
/// clients take their connections from here instead of building their own:
/// <list type="bullet">
/// <item><see cref="CreateHttpClientAsync"/> for HTTP(S): <see cref="ProxiedHttp"/> with the list's proxy.</item>
/// <item><see cref="MailProxyAsync"/> for MailKit clients (ImapClient, SmtpClient): set it as their ProxyClient.</item>
/// </list>
/// The SMTP provider's settings are where the proxy is configured (one setting per list, for all its traffic).
/// </summary>
public sealed class ListNetwork(ProviderStore providers)
{
    /// <summary>The list's SOCKS5 proxy (HOST:PORT), or null when it connects directly.</summary>
    public async Task<string?> ProxyAsync(long listId, CancellationToken cancellationToken = default) =>
        (await providers.FindAsync(listId, cancellationToken))?.Socks5;

    public async Task<HttpClient> CreateHttpClientAsync(long listId, TimeSpan timeout, RemoteCertificateValidationCallback? certificateValidation = null,
        CancellationToken cancellationToken = default) =>
        ProxiedHttp.Create(await ProxyAsync(listId, cancellationToken), timeout, certificateValidation);

    /// <summary>MailKit's proxy client for the list, or null when it connects directly.</summary>
    public async Task<IProxyClient?> MailProxyAsync(long listId, CancellationToken cancellationToken = default) =>
        await ProxyAsync(listId, cancellationToken) is { } proxy ? Socks5Address.ProxyClient(proxy) : null;
}
