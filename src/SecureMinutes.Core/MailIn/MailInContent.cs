using MimeKit;
using MimeKit.Text;
using SecureMinutes.Minutes;

namespace SecureMinutes.MailIn;

/// <summary>
/// Turns the decrypted, verified content of a note-taker's mail into minutes: the text body (format=flowed
/// undone, HTML-only mail turned into text: a sender's HTML is never passed on) and its attachments, minus
/// what mail clients add by themselves (the sender's public key, the protected-headers legacy display part).
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
        TextPart? plain = null, html = null;
        var attachments = new List<MinutesAttachment>();
        foreach (var part in Leaves(content))
        {
            if (part is TextPart text && !part.IsAttachment && text.ContentType.Parameters["protected-headers"] is null)
            {
                if (text.IsPlain && plain is null)
                {
                    plain = text;
                    continue;
                }

                if (text.IsHtml && html is null)
                {
                    html = text;
                    continue;
                }
            }

            if (part.ContentType.IsMimeType("application", "pgp-keys") || part.ContentType.IsMimeType("application", "pgp-signature")
                || part.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                continue;
            }

            if (part is MimePart { Content: not null } mimePart && (part.IsAttachment || mimePart.FileName is not null))
            {
                using var bytes = new MemoryStream();
                mimePart.Content.DecodeTo(bytes);
                attachments.Add(new MinutesAttachment(mimePart.FileName ?? "attachment", part.ContentType.MimeType, bytes.ToArray()));
            }
        }

        var body = plain is not null ? PlainText(plain) : html is not null ? HtmlText(html.Text) : "";
        body = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
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
            : !string.IsNullOrWhiteSpace(outerSubject) && !PlaceholderSubjects.Contains(outerSubject.Trim(), StringComparer.OrdinalIgnoreCase) ? outerSubject
            : null;
        return new MinutesDocument(MinutesSubject.Choose(given, body, now), body) { Attachments = attachments };
    }

    private static string PlainText(TextPart part)
    {
        var text = part.Text;
        if (string.Equals(part.ContentType.Format, "flowed", StringComparison.OrdinalIgnoreCase))
        {
            var delSp = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase);
            text = new FlowedToText { DeleteSpace = delSp }.Convert(text);
        }

        return text;
    }

    /// <summary>
    /// The words of an HTML-only mail, block elements as line breaks; scripts and styles dropped. MimeKit has
    /// an HTML tokenizer but no HTML-to-text converter, hence these few lines.
    /// </summary>
    private static string HtmlText(string html)
    {
        var text = new System.Text.StringBuilder();
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        var skipping = false;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style:
                    skipping = !tag.IsEndTag && !tag.IsEmptyElement;
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br || (tag.IsEndTag && tag.Id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR
                    or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when !skipping:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString();
    }

    private static IEnumerable<MimeEntity> Leaves(MimeEntity entity)
    {
        if (entity is Multipart multipart)
        {
            foreach (var child in multipart)
            {
                foreach (var leaf in Leaves(child))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return entity;
        }
    }
}
