using MimeKit;
using SecureMinutes.Minutes;

namespace SecureMinutes.Mail;

/// <summary>
/// What every member of a submission reads, built once: the subject and the body parts (text now; HTML
/// and attachments later). Stored only sealed, as MIME, so every delivery batch rebuilds it byte-identically.
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

    public static MinutesPayload FromDocument(MinutesDocument document)
    {
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText("utf-8", document.Text);
        // Encoded once, here, so the bytes that get signed are the same for every member.
        text.Prepare(EncodingConstraint.SevenBit);
        return new MinutesPayload(document.Subject, [text]);
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
