namespace SecureMinutes.Distribution;

public enum SubmissionKind
{
    /// <summary>Minutes a note-taker sent.</summary>
    Minutes,

    /// <summary>The periodic digest of a list's minutes, for members who opted in.</summary>
    Digest,

    /// <summary>A notice to the list's admins (failed members, paused list, unusable keys), or to a member about their key.</summary>
    Notice,

    /// <summary>The list's new key, announced to every member (signed by the previous key when it is not revoked).</summary>
    Announcement,
}

/// <summary>
/// Something handed to a list for distribution. The content (subject, body, attachments) is stored only
/// sealed; this record carries what is safe to keep in the clear.
/// </summary>
public sealed record Submission(
    string Id,
    long ListId,
    string MessageId,
    DateTimeOffset CreatedAt,
    DateTimeOffset SendAt)
{
    public SubmissionKind Kind { get; init; } = SubmissionKind.Minutes;

    /// <summary>When every copy reached a final state (delivered, failed for good, skipped).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When a scheduled send was cancelled (<see cref="DeliveryControl.CancelAsync"/>); nothing of it is sent after that.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>The list key that signs this submission when it is not the current one (a rotation's announcement).</summary>
    public Keys.Fingerprint? SigningFingerprint { get; init; }

    /// <summary>Keyed hash of the content (<see cref="SubmissionDuplicates"/>): equal minutes to one list have equal values; never a plain hash.</summary>
    public string? ContentMac { get; init; }

    /// <summary>Keyed hash of the caller's idempotency token (a web form's), when it gave one.</summary>
    public string? RequestMac { get; init; }

    /// <summary>When its content was shredded (retention or <c>purge</c>): only its id, dates and copies' states remain.</summary>
    public DateTimeOffset? ShreddedAt { get; init; }
}
