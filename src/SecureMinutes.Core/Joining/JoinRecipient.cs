using SecureMinutes.Lists;

namespace SecureMinutes.Joining;

/// <summary>
/// The challenge goes through the same delivery path as minutes (sealed submission, one PGP/MIME copy encrypted to one
/// key, signed by the list), but its recipient is not a member yet. A delivery row names its recipient by id; a join
/// request's recipient takes the request's id negated, which no member id (always positive) can be.
/// </summary>
public static class JoinRecipient
{
    /// <summary>The delivery id of <paramref name="requestId"/>'s challenge recipient.</summary>
    public static long IdOf(long requestId) => -requestId;

    /// <summary>
    /// The request's address and key as a recipient (never stored as a member). It counts as verified for this one mail:
    /// on a list that requires verified keys the challenge holds no minutes, only the link that proves the key, and would
    /// otherwise never go; the member it makes is stored unverified, as any new member is.
    /// </summary>
    public static Member Of(JoinRequest request) =>
        new(IdOf(request.Id), request.ListId, request.Email, request.Fingerprint, request.PublicKey, request.KeyExpiresAt, IsAdmin: false, request.CreatedAt)
        {
            VerifiedFingerprint = request.Fingerprint,
        };
}
