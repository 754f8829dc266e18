using System.Net;

namespace SecureMinutes.Keys.Online;

/// <summary>
/// One GET of OpenPGP keys from a keyserver or WKD: armored or binary keys, 404 meaning "none". Anything
/// else (a refused proxy connection, a timeout, a TLS failure, junk or a secret key in the answer) becomes a
/// failure with its one-line reason; one member's source failing never stops the others.
/// </summary>
internal static class KeyDownload
{
    /// <summary>A certificate of a few hundred signatures is tens of KiB; more is refused rather than parsed.</summary>
    private const int MaxBytes = 1024 * 1024;

    public static async Task<FetchResult> GetAsync(HttpClient http, Uri url, string source, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return FetchResult.NotFound(source);
            }

            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Failed(source, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var data = await ReadLimitedAsync(response.Content, cancellationToken);
            return data is null
                ? FetchResult.Failed(source, $"answer larger than {MaxBytes / 1024} KiB, not read")
                : new FetchResult(source, PublicKeyReader.Read(data, source));
        }
        catch (UserFacingException ex)
        {
            return FetchResult.Failed(source, ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failed(source, OneLine(ex.InnerException?.Message ?? ex.Message));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed(source, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string OneLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
