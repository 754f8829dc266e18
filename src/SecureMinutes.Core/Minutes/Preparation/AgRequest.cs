namespace SecureMinutes.Minutes.Preparation;

/// <summary>
/// What to prepare for an AG: its date and title, and either a pad on an Etherpad server (its address and the
/// environment variable holding its API key, read now and never stored) or a Markdown draft file.
/// </summary>
/// <param name="TemplatePath">A template file for this AG only; else the list's own template, else the built-in one.</param>
/// <param name="DraftPath">Where the draft goes when there is no pad server; an existing file is never overwritten.</param>
public sealed record AgRequest(DateOnly Date, string? Title = null, string? PadServer = null, string? ApiKeyVariable = null, string? TemplatePath = null,
    string? DraftPath = null);

/// <summary>What <c>prepare</c> made: a pad (both links) or a draft file, and the text it starts from.</summary>
public sealed record PreparedAg(string Text, string? PadUrl, string? ReadOnlyUrl, string? DraftPath);
