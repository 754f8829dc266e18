using System.Text;

namespace SecureMinutes.Minutes;

/// <summary>
/// Reads minutes from a file: UTF-8 only (a BOM is dropped), within a size limit, line endings made LF.
/// Read straight into memory: no temporary copy is ever written.
/// </summary>
public static class MinutesFile
{
    /// <summary>Minutes are text: 2 MiB is hundreds of pages. Attachments have their own limit.</summary>
    public const long DefaultMaxBytes = 2 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadText(string path, long maxBytes = DefaultMaxBytes)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UserFacingException($"{path}: no such file");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException)
        {
            throw new UserFacingException($"{path}: not a usable file name");
        }

        if (info.Length > maxBytes)
        {
            throw new UserFacingException($"{path} is {info.Length / 1024.0:F0} KiB, over the {maxBytes / 1024} KiB limit for minutes");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path} cannot be read ({ex.Message.TrimEnd('.')})");
        }

        return Decode(bytes, path);
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string sourceName)
    {
        // The BOM as bytes: a "\xEF\xBB\xBF"u8 literal would be the UTF-8 encoding of three Latin-1 characters.
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = ex.Index >= 0 ? $" at byte {ex.Index}" : "";
            throw new UserFacingException($"{sourceName} is not UTF-8 text{offset} (save it as UTF-8, e.g. iconv -f latin1 -t utf-8)");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new UserFacingException($"{sourceName} is a binary file, not text minutes");
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserFacingException($"{sourceName} is empty: there are no minutes to send");
        }

        return text;
    }
}
