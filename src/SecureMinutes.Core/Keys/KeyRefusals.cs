namespace SecureMinutes.Keys;

/// <summary>
/// Key refusals thrown as the <see cref="UserFacingException"/> they always were (same type, same English one-line
/// message for the CLI), carrying the refusal as a <see cref="KeyProblem"/> for pages that word it in their reader's language.
/// </summary>
public static class KeyRefusals
{
    /// <summary>The exception to throw: <paramref name="message"/> as its message, <paramref name="problem"/> as its <see cref="UserFacingException.KeyProblem"/>.</summary>
    public static UserFacingException Of(KeyProblem problem, string message) => new(message) { KeyProblem = problem };
}
