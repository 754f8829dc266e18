using SecureMinutes.Keys;

namespace SecureMinutes.Joining;

/// <summary>Where a join request stands.</summary>
public enum JoinRequestState
{
    /// <summary>The challenge was sent, encrypted to the key given; waiting for its link to be opened.</summary>
    Challenged,

    /// <summary>The link was opened (mailbox and key proven) on an invite that needs a list admin's approval.</summary>
    AwaitingApproval,
}

/// <summary>
/// Someone asking to join through an invite, with the key they gave (public key material only). Lives until it is
/// confirmed (and becomes a member), refused, or expires; afterwards only the audit line remains.
/// </summary>
public sealed record JoinRequest(long Id, long ListId, long InviteId, string Email, Fingerprint Fingerprint, byte[] PublicKey,
    DateTimeOffset? KeyExpiresAt, JoinRequestState State, string? SubmissionId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? ConfirmedAt);
