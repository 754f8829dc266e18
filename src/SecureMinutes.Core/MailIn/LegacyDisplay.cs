using System.Text.RegularExpressions;
using MimeKit;

namespace SecureMinutes.MailIn;

/// <summary>
/// The copy of the protected header fields that clients put in the body for readers that do not know
/// protected headers, which a reader that does must leave out: RFC 9788 §4.5.3's Legacy Display Element (a
/// <c>text/plain; hp-legacy-display="1"</c> part), Thunderbird's <c>text/plain; protected-headers="v1"</c>
/// part and Enigmail's <c>text/rfc822-headers</c> part, each the first child of the cryptographic payload's
/// <c>multipart/mixed</c>. A part is only left out when it holds nothing but header fields: a part that says
/// it is one but carries other text is the sender's text and is kept, since text is never dropped silently.
/// </summary>
internal static partial class LegacyDisplay
{
    /// <summary>True when <paramref name="part"/> is the payload root's first child and only repeats header fields.</summary>
    public static bool IsElement(MimeEntity part, MimeEntity payloadRoot)
    {
        if (payloadRoot is not Multipart { Count: > 1 } root || !root.ContentType.IsMimeType("multipart", "mixed") || !ReferenceEquals(root[0], part)
            || part.IsAttachment)
        {
            return false;
        }

        // MimeKit reads text/rfc822-headers as a message holding only those header fields.
        if (part is TextRfc822Headers enigmail)
        {
            return enigmail.Message?.Body is null or TextPart { Text.Length: 0 };
        }

        return part is TextPart { IsPlain: true } text
            && (text.ContentType.Parameters["hp-legacy-display"] == "1" || text.ContentType.Parameters["protected-headers"] is not null)
            && IsOnlyHeaderFields(text.Text);
    }

    /// <summary>The Subject a legacy display part repeats, for a payload that lacks the field itself.</summary>
    public static string? SubjectIn(MimeEntity part) => part switch
    {
        TextRfc822Headers enigmail => enigmail.Message?.Subject,
        TextPart text => HeaderLine().Matches(text.Text).FirstOrDefault(m => m.Groups[1].Value.Equals("Subject", StringComparison.OrdinalIgnoreCase))?.Groups[2].Value.Trim(),
        _ => null,
    };

    /// <summary>
    /// The text of a part marked <c>hp-legacy-display="1"</c> without the header fields a sender put at its
    /// top, before a blank line, in the same part (RFC 9788 allows the element inside the body part). Any other
    /// part, or one whose top is not only header fields, is returned unchanged.
    /// </summary>
    public static string WithoutLeadingFields(TextPart part, string text)
    {
        if (part.ContentType.Parameters["hp-legacy-display"] != "1")
        {
            return text;
        }

        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        return blank > 0 && IsOnlyHeaderFields(text[..blank]) && text[(blank + 2)..].Trim().Length > 0 ? text[(blank + 2)..] : text;
    }

    /// <summary>Header lines ("Field: value", folded continuations) and blank lines only, at least one field.</summary>
    public static bool IsOnlyHeaderFields(string text)
    {
        var fields = 0;
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length == 0 || (fields > 0 && line[0] is ' ' or '\t'))
            {
                continue;
            }

            if (!HeaderLine().IsMatch(line))
            {
                return false;
            }

            fields++;
        }

        return fields > 0;
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$", RegexOptions.Multiline)]
    private static partial Regex HeaderLine();
}
