namespace SecureMinutes.Minutes;

/// <summary>
/// How the text is shown. Plain text stays a single text/plain part. Markdown is sent as
/// multipart/alternative: the Markdown source as text/plain (what the peer checker and plain-text readers
/// see) and safe HTML rendered from it (what Thunderbird and K-9 show).
/// </summary>
public enum MinutesFormat
{
    Text,
    Markdown,
}

public static class MinutesFormats
{
    private static readonly string[] MarkdownExtensions = [".md", ".markdown", ".mdown", ".mkd", ".mkdn"];

    /// <summary>
    /// <c>--format</c> wins; otherwise the source decides: a .md/.markdown file and a HedgeDoc note are
    /// Markdown, everything else (a .txt file, an Etherpad pad) is plain text. Pads are not guessed: a pad is
    /// written line by line, and Markdown would join consecutive lines into one paragraph.
    /// </summary>
    public static MinutesFormat Choose(string? given, MinutesFormat sourceDefault) => given?.Trim().ToLowerInvariant() switch
    {
        null or "" => sourceDefault,
        "text" or "txt" or "plain" => MinutesFormat.Text,
        "markdown" or "md" => MinutesFormat.Markdown,
        _ => throw new UserFacingException($"--format must be text or markdown (not '{given}')"),
    };

    public static MinutesFormat ForFile(string path) =>
        MarkdownExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase) ? MinutesFormat.Markdown : MinutesFormat.Text;
}
