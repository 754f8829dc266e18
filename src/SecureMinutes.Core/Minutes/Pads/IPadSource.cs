namespace SecureMinutes.Minutes.Pads;

/// <summary>One kind of pad server: how to read a pad's text from it. Errors are <see cref="PadException"/>s.</summary>
public interface IPadSource
{
    PadKind Kind { get; }

    /// <summary>The pad's text as the server gives it, at most <paramref name="maxBytes"/> of UTF-8.</summary>
    Task<string> ReadAsync(HttpClient http, PadRequest request, string? apiKey, long maxBytes, CancellationToken cancellationToken);
}
