using MimeKit;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;

namespace SecureMinutes.Tests.Mail;

/// <summary>What goes inside the encryption for each kind of minutes, and that it survives sealing byte for byte.</summary>
public sealed class MinutesPayloadTests
{
    [Fact]
    public void PlainText_IsOneTextPlainPart()
    {
        var payload = MinutesPayload.FromDocument(new MinutesDocument("S", "Compte-rendu ✊\n"));

        var part = Assert.IsType<TextPart>(Assert.Single(payload.BodyParts));
        Assert.True(part.IsPlain);
        Assert.Equal("Compte-rendu ✊\n", part.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_IsAlternative_WithTheSourceFirstAndSafeHtmlLast_ThenAttachments()
    {
        var document = new MinutesDocument("AG", "# AG\n\n<script>x</script> ![p](https://t.example/p.png)\n")
        {
            Format = MinutesFormat.Markdown,
            Attachments = [new MinutesAttachment("Procès-verbal.pdf", "application/pdf", [0x25, 0x50, 0x44, 0x46, 0xFF])],
        };

        var payload = MinutesPayload.FromDocument(document);

        Assert.Equal(2, payload.BodyParts.Count);
        var alternative = Assert.IsType<MultipartAlternative>(payload.BodyParts[0]);
        var plain = Assert.IsType<TextPart>(alternative[0]);
        var html = Assert.IsType<TextPart>(alternative[1]);
        Assert.True(plain.IsPlain);
        Assert.Contains("<script>x</script>", plain.Text, StringComparison.Ordinal);
        Assert.True(html.IsHtml);
        Assert.DoesNotContain("<script>", html.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("t.example", html.Text, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(payload.BodyParts[1]);
        Assert.True(attachment.IsAttachment);
        Assert.Equal("Procès-verbal.pdf", attachment.FileName);
        Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
    }

    [Fact]
    public void Serialize_RoundTripsEveryBodyPart_ByteForByte()
    {
        var document = new MinutesDocument("AG ✊", "# AG\n\nTexte\n")
        {
            Format = MinutesFormat.Markdown,
            Attachments = [new MinutesAttachment("a.odt", "application/vnd.oasis.opendocument.text", [1, 2, 3, 250])],
        };
        var original = MinutesPayload.FromDocument(document);

        var again = MinutesPayload.Deserialize(original.Serialize());

        // What every delivery batch signs must be the same bytes (the container's boundary is not signed).
        Assert.Equal("AG ✊", again.Subject);
        Assert.Equal(original.BodyParts.Select(Bytes), again.BodyParts.Select(Bytes));
        using var bytes = new MemoryStream();
        ((MimePart)again.BodyParts[1]).Content!.DecodeTo(bytes);
        Assert.Equal([1, 2, 3, 250], bytes.ToArray());
    }

    private static byte[] Bytes(MimeEntity entity)
    {
        using var buffer = new MemoryStream();
        entity.WriteTo(FormatOptions.Default, buffer);
        return buffer.ToArray();
    }
}
