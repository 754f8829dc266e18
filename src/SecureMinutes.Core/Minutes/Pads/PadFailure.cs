namespace SecureMinutes.Minutes.Pads;

/// <summary>Why a pad could not be read; stored in clear for a failed scheduled capture (the message is not).</summary>
public enum PadFailure
{
    NotFound,
    Unauthorized,
    Unreachable,
    Tls,
    Timeout,
    ServerError,
    Empty,
    TooLarge,
    NotAPad,
    Configuration,
}

/// <summary>A pad that could not be read: one line for the note-taker, and whether trying again later may help.</summary>
public sealed class PadException(PadFailure failure, string message, Exception? inner = null) : UserFacingException(message, inner!)
{
    public PadFailure Failure { get; } = failure;

    /// <summary>The server may answer later (down, slow, overloaded); the other failures need a person.</summary>
    public bool IsTransient => Failure is PadFailure.Unreachable or PadFailure.Timeout or PadFailure.ServerError;
}
