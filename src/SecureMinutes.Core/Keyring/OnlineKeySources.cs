using System.Net.Security;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Online;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Net;

namespace SecureMinutes.Keyring;

/// <summary>
/// The sources a member's key is refreshed from, for one list: the keyservers by fingerprint, the member's
/// own domain (WKD) by address, all over one HTTP client that honours the list's SOCKS5 proxy (Tor), so
/// the refresh does not reveal the member list to the network.
/// </summary>
public sealed class OnlineKeySources : IDisposable
{
    private readonly HttpClient _http;
    private readonly VksClient? _vks;
    private readonly HkpClient? _hkp;
    private readonly WkdClient? _wkd;

    public OnlineKeySources(KeyringOptions options, string? socks5)
    {
        RemoteCertificateValidationCallback? validation = null;
        if (options.TrustedCertificate is { } pinned)
        {
            var pin = new CertificatePin(pinned);
            validation = (sender, certificate, chain, errors) => errors == SslPolicyErrors.None || pin.Validate(sender, certificate, chain, errors);
        }

        _http = ProxiedHttp.Create(socks5, options.Timeout, validation);
        _vks = options.VksUrl is { } vks ? new VksClient(_http, vks) : null;
        _hkp = options.HkpUrl is { } hkp ? new HkpClient(_http, hkp) : null;
        _wkd = options.Wkd ? new WkdClient(_http, options.WkdBaseOverride) : null;
        Route = socks5 is null
            ? "directly (this list has no SOCKS5 proxy: the servers see this machine's address)"
            : $"through the SOCKS5 proxy {socks5}";
    }

    /// <summary>How requests leave this machine, for the report.</summary>
    public string Route { get; }

    public VksClient? Vks => _vks;

    public async Task<IReadOnlyList<FetchResult>> FetchAsync(Member member, CancellationToken cancellationToken)
    {
        var lookups = new List<Task<IReadOnlyList<FetchResult>>>();
        if (_vks is not null)
        {
            lookups.Add(One(_vks.ByFingerprintAsync(member.Fingerprint, cancellationToken)));
        }

        if (_hkp is not null)
        {
            lookups.Add(One(_hkp.ByFingerprintAsync(member.Fingerprint, cancellationToken)));
        }

        if (_wkd is not null)
        {
            lookups.Add(_wkd.ByEmailAsync(member.Email, cancellationToken));
        }

        return (await Task.WhenAll(lookups)).SelectMany(r => r).ToList();

        static async Task<IReadOnlyList<FetchResult>> One(Task<FetchResult> lookup) => [await lookup];
    }

    /// <summary>
    /// The keys published for <paramref name="email"/>: by its own domain's Web Key Directory, and by the keyserver
    /// (keys.openpgp.org) only when <paramref name="askKeyserver"/>, that is when the person asked for it themself.
    /// Sources that are switched off (<see cref="KeyringOptions.Wkd"/>, <see cref="KeyringOptions.VksUrl"/>) are not asked.
    /// </summary>
    public async Task<IReadOnlyList<FetchResult>> FindByAddressAsync(string email, bool askKeyserver, CancellationToken cancellationToken)
    {
        var results = new List<FetchResult>();
        if (_wkd is not null)
        {
            results.AddRange(await _wkd.ByEmailAsync(email, cancellationToken));
        }

        if (askKeyserver && _vks is not null)
        {
            results.Add(await _vks.ByEmailAsync(email, cancellationToken));
        }

        return results;
    }

    public static OnlineKeySources For(MailingList list, ProviderSettings? provider, KeyringOptions options) => new(options, provider?.Socks5);

    public void Dispose() => _http.Dispose();
}
