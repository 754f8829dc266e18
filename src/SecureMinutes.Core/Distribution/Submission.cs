namespace SecureMinutes.Distribution;

/// <summary>
/// Minutes handed to a list for distribution. The content (subject, body, attachments) is stored only
/// sealed; this record carries what is safe to keep in the clear.
/// </summary>
public sealed record Submission(
    string Id,
    long ListId,
    string MessageId,
    DateTimeOffset CreatedAt,
    DateTimeOffset SendAt);
