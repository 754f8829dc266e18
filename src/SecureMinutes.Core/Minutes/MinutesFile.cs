using System.Text;

namespace SecureMinutes.Minutes;

/// <summary>
/// Reads minutes from a file: UTF-8 unless another encoding is declared (<c>--encoding</c>), within a size
/// limit, line endings made LF. Read straight into memory: no temporary copy is ever written.
/// </summary>
public static class MinutesFile
{
    /// <summary>Minutes are text: 2 MiB is hundreds of pages. Attachments have their own limit.</summary>
    public const long DefaultMaxBytes = 2 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string ReadText(string path, long maxBytes = DefaultMaxBytes, string? encodingName = null)
    {
        // Checked first, so a typo in --encoding is reported even when the file is also wrong.
        var declared = encodingName is null ? null : TextEncodings.Strict(encodingName);
        var bytes = LocalFile.Read(path, maxBytes, "minutes");
        return Decode(bytes, path, declared);
    }

    /// <summary>Decodes text as UTF-8 (refusing anything else), or strictly in the declared encoding.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string sourceName, Encoding? declared = null)
    {
        string text;
        if (declared is null || declared.CodePage == Encoding.UTF8.CodePage)
        {
            // The BOM as bytes: a "\xEF\xBB\xBF"u8 literal would be the UTF-8 encoding of three Latin-1 characters.
            if (bytes.StartsWith(Encoding.UTF8.Preamble))
            {
                bytes = bytes[3..];
            }

            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                var offset = ex.Index >= 0 ? $" at byte {ex.Index}" : "";
                throw new UserFacingException(declared is null
                    ? $"{sourceName} is not UTF-8 text{offset} (give its encoding, e.g. --encoding latin1, or save it as UTF-8)"
                    : $"{sourceName} is not valid UTF-8{offset}: check --encoding");
            }
        }
        else
        {
            text = TextEncodings.Decode(bytes, declared, sourceName);
        }

        return Normalise(text, sourceName);
    }

    /// <summary>The checks any minutes text passes, whatever its source: text, not empty, LF line ends.</summary>
    public static string Normalise(string text, string sourceName)
    {
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
