using System.Net.Http.Json;

namespace SecureMinutes.Keys.Online;

/// <summary>
/// The Verifying Keyserver API as keys.openpgp.org serves it. Keys are fetched by fingerprint only: asking a
/// keyserver by e-mail would hand it the member list (WKD asks each member's own domain instead).
/// </summary>
public sealed class VksClient(HttpClient http, Uri baseUrl)
{
    public string Name => $"VKS {baseUrl.Host}";

    public Task<FetchResult> ByFingerprintAsync(Fingerprint fingerprint, CancellationToken cancellationToken) =>
        KeyDownload.GetAsync(http, new Uri(baseUrl, $"vks/v1/by-fingerprint/{fingerprint.Hex}"), Name, cancellationToken);

    /// <summary>
    /// The certificate keys.openpgp.org publishes for <paramref name="email"/> (<c>GET /vks/v1/by-email/ADDRESS</c>: only
    /// addresses their owner confirmed to the keyserver). Only ever on a person's own request for their own address
    /// ("find my key" on the join page): asking by address tells the keyserver who is joining which list.
    /// </summary>
    public Task<FetchResult> ByEmailAsync(string email, CancellationToken cancellationToken) =>
        KeyDownload.GetAsync(http, new Uri(baseUrl, $"vks/v1/by-email/{Uri.EscapeDataString(email)}"), Name, cancellationToken);

    /// <summary>
    /// Publishes a certificate (<c>POST /vks/v1/upload</c>). keys.openpgp.org publishes a revocation at once;
    /// user ids only once their owner confirms by mail, which a list address may never do, and need not.
    /// </summary>
    public async Task UploadAsync(string armoredCertificate, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "vks/v1/upload"), new Upload(armoredCertificate), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new UserFacingException($"{Name} refused the upload: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (HttpRequestException ex)
        {
            throw new UserFacingException($"{Name} could not be reached for the upload ({(ex.InnerException?.Message ?? ex.Message).Split('\n')[0].TrimEnd('.')})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UserFacingException($"{Name} did not answer the upload within {http.Timeout.TotalSeconds:0} s");
        }
    }

    private sealed record Upload(string Keytext);
}
