namespace SecureMinutes.Keys.Online;

/// <summary>An HKP keyserver (draft-shaw-openpgp-hkp), asked by full fingerprint in machine-readable form.</summary>
public sealed class HkpClient(HttpClient http, Uri baseUrl)
{
    public string Name => $"HKP {baseUrl.Host}";

    public Task<FetchResult> ByFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken) =>
        KeyDownload.GetAsync(http, new Uri(baseUrl, $"pks/lookup?op=get&options=mr&search=0x{fingerprint.Hex}"), Name, cancellationToken);
}
