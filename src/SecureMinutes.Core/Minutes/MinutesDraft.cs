using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureMinutes.Minutes;

/// <summary>
/// Minutes a note-taker previewed and has not confirmed yet: the document, when to send it, and the submission id
/// chosen for it beforehand, so confirming twice (a double tap, a reload) finds the first submission instead of making another.
/// </summary>
public sealed record MinutesDraft(string Id, string SubmissionId, MinutesDocument Document, DateTimeOffset? SendAt)
{
    /// <summary>The document as sealed in the database (JSON, attachments in base64).</summary>
    internal byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new Stored(Document.Subject, Document.Text, Document.Format == MinutesFormat.Markdown,
        Document.Attachments.Select(a => new StoredAttachment(a.FileName, a.MediaType, a.Content)).ToList(), SendAt));

    internal static MinutesDraft Deserialize(string id, string submissionId, byte[] data)
    {
        var stored = JsonSerializer.Deserialize<Stored>(data) ?? throw new InvalidOperationException($"Draft {id} is empty.");
        var document = new MinutesDocument(stored.Subject, stored.Text)
        {
            Format = stored.Markdown ? MinutesFormat.Markdown : MinutesFormat.Text,
            Attachments = stored.Attachments.Select(a => new MinutesAttachment(a.Name, a.MediaType, a.Content)).ToList(),
        };
        return new MinutesDraft(id, submissionId, document, stored.SendAt);
    }

    private sealed record Stored(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("markdown")] bool Markdown,
        [property: JsonPropertyName("attachments")] List<StoredAttachment> Attachments,
        [property: JsonPropertyName("sendAt")] DateTimeOffset? SendAt);

    private sealed record StoredAttachment(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("type")] string MediaType,
        [property: JsonPropertyName("content")] byte[] Content);
}
