namespace SecureMinutes;

/// <summary>
/// A failure caused by the user's input or environment (bad key, unknown list, unreachable server…),
/// whose message is one line written for the person at the keyboard. Anything else is a bug.
/// </summary>
public class UserFacingException : Exception
{
    public UserFacingException(string message) : base(message) { }

    public UserFacingException(string message, Exception inner) : base(message, inner) { }

    /// <summary>When a key (or what was given as one) was refused: why, as a code and its arguments (<see cref="Keys.KeyRefusals"/>); else null.</summary>
    public Keys.KeyProblem? KeyProblem { get; init; }
}
