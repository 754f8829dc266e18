namespace SecureMinutes.Minutes;

/// <summary>
/// The minutes as the note-taker gave them: a subject, UTF-8 text (plain or Markdown) and any attachments.
/// Held in memory only; what is stored is the sealed <see cref="Mail.MinutesPayload"/> built from it.
/// </summary>
public sealed record MinutesDocument(string Subject, string Text)
{
    public MinutesFormat Format { get; init; } = MinutesFormat.Text;

    public IReadOnlyList<MinutesAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// Markdown put before <see cref="Text"/> in what members receive: the decisions and votes summary
    /// (<see cref="Votes.MinutesSummary"/>), ending with a « --- » rule. Null for minutes without votes and for notices.
    /// </summary>
    public string? Summary { get; init; }
}
