namespace SecureMinutes.Minutes;

/// <summary>A file sent with the minutes (agenda PDF, vote results ODT…), inside the encryption like the text.</summary>
public sealed record MinutesAttachment(string FileName, string MediaType, byte[] Content);
