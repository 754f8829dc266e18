namespace SecureMinutes.Minutes;

public enum PadCaptureState
{
    /// <summary>Waiting for its time (or for a retry).</summary>
    Pending,

    /// <summary>Captured: the submission exists and is being distributed.</summary>
    Done,

    /// <summary>Could not be captured; the admins were told.</summary>
    Failed,
}

/// <summary>
/// "Send the pad at the end of the AG": a pad to read at <see cref="CaptureAt"/>, not before. What to read
/// (the pad's address, which lets anyone read it, the subject, attachments) is stored sealed; the submission
/// id is chosen up front so the note-taker can follow it, and so a capture retried after a crash never
/// creates a second submission.
/// </summary>
public sealed record PadCapture(long Id, long ListId, string SubmissionId, DateTimeOffset CaptureAt, PadCaptureState State, string? Failure, DateTimeOffset CreatedAt);
