namespace SecureMinutes.Mail;

public enum SendOutcome
{
    Accepted,

    /// <summary>The provider said "try later" for this message (4xx).</summary>
    TransientFailure,

    /// <summary>The provider refused this recipient or message for good (5xx).</summary>
    PermanentFailure,
}

/// <summary>The provider's answer for one message, with its reply text (which never contains minutes).</summary>
public sealed record SendResult(SendOutcome Outcome, string Detail)
{
    public static SendResult Accepted(string detail) => new(SendOutcome.Accepted, detail);
}
