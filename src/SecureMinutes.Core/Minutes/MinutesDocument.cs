namespace SecureMinutes.Minutes;

/// <summary>The minutes as the note-taker gave them: a subject and UTF-8 text.</summary>
public sealed record MinutesDocument(string Subject, string Text);
