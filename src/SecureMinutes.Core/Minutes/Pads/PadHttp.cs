using System.Net;
using System.Text;

namespace SecureMinutes.Minutes.Pads;

/// <summary>Reading pad servers' answers: bounded in size, decoded as UTF-8, in memory only.</summary>
internal static class PadHttp
{
    public static async Task<string> ReadBodyAsync(HttpResponseMessage response, PadAddress pad, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw TooLarge(pad, length, maxBytes);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw TooLarge(pad, null, maxBytes);
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new PadException(PadFailure.NotAPad, $"{pad.Display} did not answer with UTF-8 text");
        }
    }

    public static PadException TooLarge(PadAddress pad, long? length, long maxBytes) => new(PadFailure.TooLarge,
        $"{pad.Display} is {(length is { } l ? IntakeLimits.Describe(l) : "larger than that")}, over the {IntakeLimits.Describe(maxBytes)} limit for minutes");

    /// <summary>The answers every pad server gives the same meaning to.</summary>
    public static PadException? CommonFailure(HttpResponseMessage response, PadAddress pad) => response.StatusCode switch
    {
        HttpStatusCode.NotFound or HttpStatusCode.Gone => new PadException(PadFailure.NotFound, $"{pad.Display} does not exist (check the address)"),
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PadException(PadFailure.Unauthorized,
            $"{pad.Display} is not public ({(int)response.StatusCode}): {(pad.Kind == PadKind.HedgeDoc ? "let guests read the note (permission 'locked' or 'editable')" : "use --pad-api-key-env with the server's API key")}"),
        >= HttpStatusCode.InternalServerError => new PadException(PadFailure.ServerError, $"{pad.BaseUri.Authority} failed to serve {pad.Display} ({(int)response.StatusCode})"),
        _ when !response.IsSuccessStatusCode => new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority} answered {(int)response.StatusCode} for {pad.Display}"),
        _ => null,
    };

    public static void RequireText(HttpResponseMessage response, PadAddress pad, params string[] mediaTypes)
    {
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is not null && !mediaTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            throw new PadException(PadFailure.NotAPad, $"{pad.BaseUri.Authority} answered with {type}, not the text of {pad.Display} (is it really a {(pad.Kind == PadKind.Etherpad ? "Etherpad" : "HedgeDoc")} server?)");
        }
    }
}
