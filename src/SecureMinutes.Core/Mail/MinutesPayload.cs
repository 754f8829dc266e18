using MimeKit;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Votes;

namespace SecureMinutes.Mail;

/// <summary>
/// What every member of a submission reads, built once: the subject and the body parts (the text, or
/// Markdown with its HTML rendering, then attachments). Stored only sealed, as MIME, so every delivery batch rebuilds it byte-identically.
/// </summary>
public sealed class MinutesPayload
{
    private MinutesPayload(string subject, IReadOnlyList<MimeEntity> bodyParts)
    {
        Subject = subject;
        BodyParts = bodyParts;
    }

    public string Subject { get; }

    public IReadOnlyList<MimeEntity> BodyParts { get; }

    /// <summary>
    /// The minutes as MIME: plain text as one text/plain part; Markdown as multipart/alternative (the
    /// Markdown as text/plain first, safe HTML last, as RFC 2046 orders them); then each attachment. The
    /// message factory puts these parts in the signed, encrypted multipart/mixed, so attachments follow the
    /// text inside the encryption.
    /// </summary>
    public static MinutesPayload FromDocument(MinutesDocument document)
    {
        var parts = new List<MimeEntity>();
        var text = TextPart("plain", document.Summary + document.Text);
        if (document.Format == MinutesFormat.Markdown)
        {
            var html = TextPart("html", MarkdownRenderer.ToHtmlDocument(document.Summary + document.Text, document.Subject));
            parts.Add(new MultipartAlternative { text, html });
        }
        else if (document.Summary is not null)
        {
            // Plain-text minutes with a summary: its table needs HTML, and the text stays line for line as typed.
            var html = TextPart("html", MarkdownRenderer.ToHtmlDocument(document.Summary, document.Text, document.Subject));
            parts.Add(new MultipartAlternative { text, html });
        }
        else
        {
            parts.Add(text);
        }

        foreach (var attachment in document.Attachments)
        {
            parts.Add(AttachmentPart(attachment));
        }

        return FromParts(document.Subject, parts);
    }

    /// <summary>
    /// Minutes as members receive them: with the decisions and votes summary at the top when they hold votes
    /// (<see cref="MinutesSummary.AddTo"/>), unchanged otherwise. Every path that turns a note-taker's minutes into a
    /// submission (file, pad, scheduled pad capture, mail-in) builds its payload here; notices use <see cref="FromDocument"/>.
    /// </summary>
    public static MinutesPayload FromMinutes(MinutesDocument minutes) => FromDocument(MinutesSummary.AddTo(minutes));

    private static TextPart TextPart(string subtype, string content)
    {
        var part = new TextPart(subtype);
        part.SetText("utf-8", content);
        return part;
    }

    private static MimePart AttachmentPart(MinutesAttachment attachment)
    {
        var part = new MimePart(ContentType.TryParse(attachment.MediaType, out var type) ? type : new ContentType("application", "octet-stream"))
        {
            Content = new MimeContent(new MemoryStream(attachment.Content, writable: false)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        // RFC 2231 encoding of non-ASCII names ("Procès-verbal.pdf"), which every client reads.
        part.ContentDisposition.Parameters.Add(System.Text.Encoding.UTF8, "filename", attachment.FileName);
        part.ContentType.Parameters.Add(System.Text.Encoding.UTF8, "name", attachment.FileName);
        return part;
    }

    /// <summary>Any body (digests, notices with parts); the parts are encoded here once.</summary>
    public static MinutesPayload FromParts(string subject, IReadOnlyList<MimeEntity> parts)
    {
        foreach (var part in parts)
        {
            part.Prepare(EncodingConstraint.SevenBit);
        }

        return new MinutesPayload(subject, parts);
    }

    public byte[] Serialize()
    {
        var container = new Multipart("mixed");
        container.Headers.Add(HeaderId.Subject, System.Text.Encoding.UTF8, Subject);
        foreach (var part in BodyParts)
        {
            container.Add(part);
        }

        using var buffer = new MemoryStream();
        container.WriteTo(FormatOptions.Default, buffer);
        return buffer.ToArray();
    }

    public static MinutesPayload Deserialize(byte[] serialized)
    {
        using var buffer = new MemoryStream(serialized, writable: false);
        if (MimeEntity.Load(buffer) is not Multipart container)
        {
            throw new InvalidDataException("A stored payload is not a multipart entity.");
        }

        var subject = container.Headers[HeaderId.Subject] ?? "";
        return new MinutesPayload(subject, container.ToList());
    }
}
