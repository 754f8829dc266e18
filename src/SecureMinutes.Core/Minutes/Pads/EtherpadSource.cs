using System.Net;
using System.Text.Json;

namespace SecureMinutes.Minutes.Pads;

/// <summary>
/// Etherpad (Framapad): without an API key, the public text export (<c>/p/PAD[/REV]/export/txt</c>, which
/// read-only ids accept too); with one, the HTTP API (<c>getText</c>, with <c>rev</c>), the key sent in a
/// POST body so it never appears in an address or a proxy's log. The API answers errors as HTTP 200 with
/// <c>"code": 1</c>, so the code is what is checked.
/// </summary>
public sealed class EtherpadSource : IPadSource
{
    public PadKind Kind => PadKind.Etherpad;

    public async Task<string> ReadAsync(HttpClient http, PadRequest request, string? apiKey, long maxBytes, CancellationToken cancellationToken) =>
        apiKey is null
            ? await ExportAsync(http, request, maxBytes, cancellationToken)
            : await ApiTextAsync(http, request, apiKey, maxBytes, cancellationToken);

    private static async Task<string> ExportAsync(HttpClient http, PadRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var pad = request.Address;
        var revision = request.Revision is { } rev ? FormattableString.Invariant($"/{rev}") : "";
        using var response = await http.GetAsync(new Uri(pad.BaseUri, $"p/{Uri.EscapeDataString(pad.PadId)}{revision}/export/txt"),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (request.Revision is not null && response.StatusCode == HttpStatusCode.InternalServerError)
        {
            // Etherpad's export fails with 500 for a revision past the pad's head.
            throw new PadException(PadFailure.NotFound, $"{pad.Display} has no revision {request.Revision} (or the server failed; check the pad's history)");
        }

        if (PadHttp.CommonFailure(response, pad) is { } failure)
        {
            throw failure;
        }

        PadHttp.RequireText(response, pad, "text/plain");
        return await PadHttp.ReadBodyAsync(response, pad, maxBytes, cancellationToken);
    }

    private static async Task<string> ApiTextAsync(HttpClient http, PadRequest request, string apiKey, long maxBytes, CancellationToken cancellationToken)
    {
        var pad = request.Address;
        var padId = pad.PadId;
        if (pad.IsReadOnly)
        {
            // getText wants the real id; getPadID (API 1.2.10) maps a read-only id to it.
            var found = await CallAsync(http, pad, "1.2.10", "getPadID", apiKey, [new("roID", pad.PadId)], 64 * 1024, cancellationToken);
            padId = found.GetProperty("padID").GetString() ?? throw new PadException(PadFailure.NotAPad, $"{pad.Display}: the API gave no pad id");
        }

        var parameters = new List<KeyValuePair<string, string>> { new("padID", padId) };
        if (request.Revision is { } rev)
        {
            parameters.Add(new("rev", rev.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // JSON escaping can make the answer larger than the text; the text itself is checked after decoding.
        var data = await CallAsync(http, pad, "1", "getText", apiKey, parameters, (maxBytes * 2) + (64 * 1024), cancellationToken);
        var text = data.GetProperty("text");
        // With rev, Etherpad 1.8 answers {"text": {"text": "...", "attribs": "..."}}.
        var value = (text.ValueKind == JsonValueKind.Object ? text.GetProperty("text") : text).GetString() ?? "";
        if (System.Text.Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            throw PadHttp.TooLarge(pad, System.Text.Encoding.UTF8.GetByteCount(value), maxBytes);
        }

        return value;
    }

    /// <summary>
    /// One Etherpad HTTP API call, POSTed (the key and any text stay out of addresses and logs), its <c>data</c> on
    /// code 0; otherwise a <see cref="PadException"/> saying what went wrong. Shared with <see cref="EtherpadPads"/>.
    /// </summary>
    internal static async Task<JsonElement> CallAsync(HttpClient http, PadAddress pad, string version, string function, string apiKey,
        IEnumerable<KeyValuePair<string, string>> parameters, long maxBytes, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(parameters.Prepend(new("apikey", apiKey)));
        using var response = await http.PostAsync(new Uri(pad.BaseUri, $"api/{version}/{function}"), form, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority} has no Etherpad API {version} at {pad.BaseUri.AbsolutePath}api/");
        }

        var body = await PadHttp.ReadBodyAsync(response, pad, maxBytes, cancellationToken);
        JsonElement answer;
        try
        {
            using var document = JsonDocument.Parse(body);
            answer = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw PadHttp.CommonFailure(response, pad) ?? new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority} did not answer like an Etherpad API");
        }

        var code = answer.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -1;
        var message = answer.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        return code switch
        {
            0 => answer.GetProperty("data"),
            4 => throw new PadException(PadFailure.Unauthorized, $"{pad.BaseUri.Authority} refused the API key (check --pad-api-key-env: it must hold the key in the server's APIKEY.txt)"),
            1 when message.Contains("does not exist", StringComparison.Ordinal) => throw new PadException(PadFailure.NotFound, $"{pad.Display} does not exist (check the address)"),
            1 when message.Contains("head revision", StringComparison.Ordinal) || message.Contains("rev", StringComparison.Ordinal) =>
                throw new PadException(PadFailure.NotFound, $"{pad.Display} has no revision {parameters.FirstOrDefault(p => p.Key == "rev").Value} ({message})"),
            3 => throw new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority}'s Etherpad does not offer {function} (API {version})"),
            _ => throw PadHttp.CommonFailure(response, pad) ?? new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority}'s Etherpad API refused {function}: {message}"),
        };
    }
}
