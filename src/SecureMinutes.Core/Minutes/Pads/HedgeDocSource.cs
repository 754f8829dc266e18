namespace SecureMinutes.Minutes.Pads;

/// <summary>HedgeDoc (and CodiMD): a note's Markdown from <c>/NOTE/download</c>, which guests may read when the note allows it.</summary>
public sealed class HedgeDocSource : IPadSource
{
    public PadKind Kind => PadKind.HedgeDoc;

    public async Task<string> ReadAsync(HttpClient http, PadRequest request, string? apiKey, long maxBytes, CancellationToken cancellationToken)
    {
        var pad = request.Address;
        using var response = await http.GetAsync(new Uri(pad.BaseUri, Uri.EscapeDataString(pad.PadId) + "/download"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (PadHttp.CommonFailure(response, pad) is { } failure)
        {
            throw failure;
        }

        // A private note redirects guests to the sign-in page (HTML), which must not become the minutes.
        PadHttp.RequireText(response, pad, "text/markdown", "text/plain", "text/x-markdown");
        return await PadHttp.ReadBodyAsync(response, pad, maxBytes, cancellationToken);
    }
}
