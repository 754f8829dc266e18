namespace SecureMinutes.Distribution;

/// <summary>One member's copy of one submission. <see cref="Detail"/> holds a reason, never minutes text.</summary>
public sealed record Delivery(
    string SubmissionId,
    long MemberId,
    string Email,
    string? Fingerprint,
    DeliveryState State,
    int Attempts,
    string? Detail,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeliveredAt);
