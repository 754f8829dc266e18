using System.Text;

namespace SecureMinutes.Minutes;

/// <summary>
/// Encodings a note-taker may declare with <c>--encoding</c> (Windows and old Mac editors still save
/// Latin-1, Windows-1252 or UTF-16). Decoding is strict: a byte the declared encoding does not define is an
/// error, never a silent '?' in the minutes.
/// </summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding named <paramref name="name"/>, decoding strictly.</summary>
    /// <exception cref="UserFacingException">
    /// An unknown name, or UTF-7: .NET refuses it (SYSLIB0001) because the same text has many spellings in it,
    /// which lets markup slip past filters; such a file must be saved as UTF-8.
    /// </exception>
    public static Encoding Strict(string name)
    {
        var shown = TerminalText.Escape(name);
        try
        {
            return Encoding.GetEncoding(name.Trim(), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (NotSupportedException)
        {
            throw new UserFacingException($"--encoding '{shown}' is not supported (UTF-7 hides text in many spellings and .NET refuses it): save the file as UTF-8");
        }
        catch (ArgumentException)
        {
            throw new UserFacingException($"--encoding '{shown}' is not an encoding this program knows (e.g. utf-8, latin1, windows-1252, iso-8859-15, utf-16)");
        }
    }

    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding, string sourceName)
    {
        // A byte-order mark of the declared encoding is not part of the text.
        var preamble = encoding.GetPreamble();
        if (preamble.Length > 0 && bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }

        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = ex.Index >= 0 ? $" at byte {ex.Index}" : "";
            throw new UserFacingException($"{TerminalText.Escape(sourceName)} is not valid {encoding.WebName}{offset}: check --encoding");
        }
        // Some code-page decoders report bytes they cannot map this way instead.
        catch (ArgumentException)
        {
            throw new UserFacingException($"{TerminalText.Escape(sourceName)} is not valid {encoding.WebName}: check --encoding");
        }
    }
}
