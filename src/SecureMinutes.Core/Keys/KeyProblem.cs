namespace SecureMinutes.Keys;

/// <summary>
/// A key refusal as a code and its arguments, beside the English one-line message that says the same (the web pages
/// word it in the reader's language from <see cref="Code"/>; the CLI prints the message).
/// </summary>
/// <param name="Code">What is wrong.</param>
/// <param name="On">When it happened (an expiry or revocation), when the code has a date and it is known.</param>
/// <param name="Detail">The code's one argument, when it has one (see <see cref="KeyProblemCode"/>): plain text, not localized.</param>
public sealed record KeyProblem(KeyProblemCode Code, DateTimeOffset? On = null, string? Detail = null);
