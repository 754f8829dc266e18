using MimeKit;
using MimeKit.Text;
using SecureMinutes.Minutes;

namespace SecureMinutes.MailIn;

/// <summary>
/// Turns the decrypted, verified content of a note-taker's mail into minutes, the way a mail client shows it:
/// every inline text part in order (format=flowed undone; of a <c>multipart/alternative</c> the plain text,
/// else the HTML turned into text: a sender's HTML is never passed on), joined by a blank line, and every
/// other part as an attachment. Left out are only what clients add by themselves: the sender's public key,
/// signatures, and the legacy display copy of the protected headers (<see cref="LegacyDisplay"/>). The
/// payload root may itself be the text part (K-9, Delta Chat, NeoMutt put the protected headers on it).
/// </summary>
internal static class MailInContent
{
    private static readonly string[] PlaceholderSubjects = ["...", "[...]", "encrypted message", "encrypted subject", "p≡p"];

    public sealed class RefusedException(MailInRefusal refusal, string message) : Exception(message)
    {
        public MailInRefusal Refusal { get; } = refusal;
    }

    public static MinutesDocument Read(MimeEntity content, string? outerSubject, IntakeLimits limits, DateTimeOffset now)
    {
        var texts = new List<string>();
        var attachments = new List<MinutesAttachment>();
        string? legacySubject = null;
        Collect(content, content, texts, attachments, ref legacySubject);

        // One text stays exactly as written; several are joined by a blank line, as a client shows them one after the other.
        var nonEmpty = texts.Where(t => t.Trim().Length > 0).ToList();
        var body = nonEmpty.Count == 1 ? nonEmpty[0] : nonEmpty.Count == 0 ? "" : string.Join("\n\n", nonEmpty.Select(t => t.TrimEnd('\n'))) + "\n";
        if (string.IsNullOrWhiteSpace(body))
        {
            body = attachments.Count > 0 ? "Compte-rendu en pièce jointe. / Minutes attached.\n" : throw new RefusedException(MailInRefusal.Empty, "it had no text and no attachment");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(body) > limits.MaxTextBytes)
        {
            throw new RefusedException(MailInRefusal.TooLarge, $"its text is over the {IntakeLimits.Describe(limits.MaxTextBytes)} limit for minutes");
        }

        if (attachments.Sum(a => (long)a.Content.Length) > limits.MaxAttachmentBytes)
        {
            throw new RefusedException(MailInRefusal.TooLarge, $"its attachments are over the {IntakeLimits.Describe(limits.MaxAttachmentBytes)} limit");
        }

        var inner = content.Headers[HeaderId.Subject];
        var given = !string.IsNullOrWhiteSpace(inner) ? inner
            : !string.IsNullOrWhiteSpace(legacySubject) ? legacySubject
            : !string.IsNullOrWhiteSpace(outerSubject) && !PlaceholderSubjects.Contains(outerSubject.Trim(), StringComparer.OrdinalIgnoreCase) ? outerSubject
            : null;
        return new MinutesDocument(MinutesSubject.Choose(given, body, now), body) { Attachments = attachments };
    }

    private static void Collect(MimeEntity entity, MimeEntity root, List<string> texts, List<MinutesAttachment> attachments, ref string? legacySubject)
    {
        switch (entity)
        {
            case MimeKit.Cryptography.MultipartSigned signed when signed.Count > 0:
                Collect(signed[0], root, texts, attachments, ref legacySubject);
                break;
            case Multipart alternative when alternative.ContentType.IsMimeType("multipart", "alternative") && Preferred(alternative) is { } chosen:
                Collect(chosen, root, texts, attachments, ref legacySubject);
                break;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    if (LegacyDisplay.IsElement(child, root))
                    {
                        legacySubject ??= LegacyDisplay.SubjectIn(child);
                        continue;
                    }

                    Collect(child, root, texts, attachments, ref legacySubject);
                }

                break;
            case MimePart part when IsAddedByClient(part):
                break;
            case TextPart text when !text.IsAttachment && text.FileName is null && (text.IsPlain || text.IsHtml):
                texts.Add(text.IsHtml ? HtmlText.Convert(text.Text) : LegacyDisplay.WithoutLeadingFields(text, PlainText(text)));
                break;
            case MimePart { Content: not null } part:
                using (var bytes = new MemoryStream())
                {
                    part.Content.DecodeTo(bytes);
                    attachments.Add(new MinutesAttachment(part.FileName ?? DefaultName(part), part.ContentType.MimeType, bytes.ToArray()));
                }

                break;
            case MessagePart { Message: { } forwarded }:
                // A forwarded mail (message/rfc822) goes along whole, as the note-taker attached it.
                using (var bytes = new MemoryStream())
                {
                    forwarded.WriteTo(FormatOptions.Default, bytes);
                    attachments.Add(new MinutesAttachment(entity.ContentDisposition?.FileName ?? "message.eml", "message/rfc822", bytes.ToArray()));
                }

                break;
        }
    }

    /// <summary>What a client shows of a multipart/alternative: its plain text if that says anything, else the richest other part.</summary>
    private static MimeEntity? Preferred(Multipart alternative)
    {
        var plain = alternative.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !string.IsNullOrWhiteSpace(p.Text));
        return plain ?? alternative.LastOrDefault();
    }

    /// <summary>The sender's key (Thunderbird's "Attach My Public Key", Autocrypt setups) and stray signatures are not minutes.</summary>
    private static bool IsAddedByClient(MimePart part) =>
        part.ContentType.IsMimeType("application", "pgp-keys") || part.ContentType.IsMimeType("application", "pgp-signature");

    private static string DefaultName(MimePart part) =>
        part.ContentType.IsMimeType("text", "plain") ? "text.txt"
        : part.ContentType.IsMimeType("text", "html") ? "page.html"
        : part.ContentType.IsMimeType("text", "rfc822-headers") ? "headers.txt"
        : "attachment";

    private static string PlainText(TextPart part)
    {
        var text = part.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (string.Equals(part.ContentType.Format, "flowed", StringComparison.OrdinalIgnoreCase))
        {
            var delSp = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase);
            text = new FlowedToText { DeleteSpace = delSp }.Convert(text);
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
