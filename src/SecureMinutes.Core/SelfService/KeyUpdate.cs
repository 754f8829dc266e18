using SecureMinutes.Keys;

namespace SecureMinutes.SelfService;

/// <summary>
/// A member's request to be pinned to another key, waiting for its confirmations: the challenge encrypted to the new key
/// (<see cref="NewConfirmedAt"/>) always, and either the confirmation encrypted to the old key (when it was still usable:
/// <see cref="NeedsOldKey"/>) or a list admin's approval (when it was not).
/// </summary>
public sealed record KeyUpdate(long Id, long MemberId, Fingerprint Fingerprint, byte[] PublicKey, bool NeedsOldKey, DateTimeOffset? NewConfirmedAt,
    DateTimeOffset? OldConfirmedAt, string Source, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// The fingerprint the member held when they asked (null for a change asked before it was recorded): the change is
    /// applied only while they still hold it, never over a key pinned meanwhile (by a list admin, say).
    /// </summary>
    public Fingerprint? From { get; init; }

    /// <summary>The new key is proven and the old one agreed: the change can be made without an admin.</summary>
    public bool IsConfirmed => NewConfirmedAt is not null && NeedsOldKey && OldConfirmedAt is not null;

    /// <summary>The new key is proven but the old key could not confirm: a list admin decides.</summary>
    public bool AwaitsAdmin => NewConfirmedAt is not null && !NeedsOldKey;
}
