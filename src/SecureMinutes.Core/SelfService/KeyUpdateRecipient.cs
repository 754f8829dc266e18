using SecureMinutes.Lists;

namespace SecureMinutes.SelfService;

/// <summary>
/// A key update's challenge goes through the minutes' delivery path to the member's address on file, but encrypted to
/// the key they want, not the one they are pinned to. Like a join challenge (<see cref="Joining.JoinRecipient"/>: the
/// request id negated) its delivery row names a recipient that is not a member row: the update's id negated and moved
/// below <see cref="Offset"/>, a range no join request reaches.
/// </summary>
public static class KeyUpdateRecipient
{
    /// <summary>Delivery ids at or below minus this are key update challenges.</summary>
    public const long Offset = 1L << 40;

    public static long IdOf(long updateId) => -(Offset + updateId);

    /// <summary>The key update a delivery id names, or null when it names something else.</summary>
    public static long? UpdateIdOf(long deliveryId) => deliveryId <= -Offset ? -deliveryId - Offset : null;

    /// <summary>
    /// The member at their address on file with the new key, as a recipient; counted as verified for this one mail (it
    /// holds no minutes, only the link that proves the key), as a join challenge is.
    /// </summary>
    public static Member Of(KeyUpdate update, Member member) =>
        member with { Id = IdOf(update.Id), Fingerprint = update.Fingerprint, PublicKey = update.PublicKey, KeyExpiresAt = null, KeySummary = null,
            VerifiedFingerprint = update.Fingerprint };
}
