using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SecureMinutes;

/// <summary>
/// Makes untrusted text (user ids, file names, provider answers, anything read from a key, a mail or a pad)
/// safe to print on an admin's terminal: control characters (C0 and C1, DEL), Unicode line and paragraph
/// separators and bidirectional controls (the "Trojan Source" characters, CVE-2021-42574) are shown as
/// escapes (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\x1b</c>, <c>\u202e</c>), so a user id can neither forge a
/// line of output, nor send an escape sequence (clear screen, colour, window title) to the terminal, nor
/// reorder what is shown. Everything else, accents included, is printed as it is.
/// </summary>
public static class TerminalText
{
    /// <summary><paramref name="text"/> with every control, separator and bidi character escaped; null stays null.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text) => text is null ? null : EscapeCore(text, keepNewLines: false);

    /// <summary>As <see cref="Escape"/> but keeps <c>\n</c>: for text already laid out in lines by this program (JSON, armor).</summary>
    public static string EscapeKeepingLines(string text) => EscapeCore(text, keepNewLines: true);

    /// <summary>True when <paramref name="c"/> would be escaped.</summary>
    public static bool IsUnsafe(char c) =>
        c < 0x20 || c is (>= '\u007f' and <= '\u009f') or '\u2028' or '\u2029' or '\u061c' or '\u200e' or '\u200f'
            or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    private static string EscapeCore(string text, bool keepNewLines)
    {
        var first = 0;
        while (first < text.Length && (!IsUnsafe(text[first]) || (keepNewLines && text[first] == '\n')))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c) || (keepNewLines && c == '\n'))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\r' => @"\r",
                '\n' => @"\n",
                '\t' => @"\t",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
            });
        }

        return escaped.ToString();
    }
}
