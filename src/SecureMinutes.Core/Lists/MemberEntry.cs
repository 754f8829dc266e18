using SecureMinutes.Keys;

namespace SecureMinutes.Lists;

/// <summary>
/// What a listing shows of a member (<c>member list</c>, <c>keys check</c>, the web Members page): everything of
/// <see cref="Member"/> but their certificate, which a listing never needs once the key's judgement is stored with
/// the member (issue 12: 10,000 certificates opened and held made <c>member list</c> take over a second).
/// Read by <see cref="Storage.MemberStore.ListEntriesAsync"/>; what can be sent to a member is decided from a
/// <see cref="Member"/>, certificate included.
/// <para>
/// A type of its own rather than a base of <see cref="Member"/>, although they share these properties: an entry's
/// <see cref="KeySummary"/> is vouched for by the store (it opened under the key's tag), while a <see cref="Member"/>'s
/// may be stale after a <c>with</c> (another key) and is checked against the certificate (<see cref="MemberKeys"/>).
/// As a base, any member could be passed where an entry's judgement is trusted.
/// </para>
/// </summary>
public sealed record MemberEntry(
    long Id,
    long ListId,
    string Email,
    Fingerprint Fingerprint,
    DateTimeOffset? KeyExpiresAt,
    bool IsAdmin,
    DateTimeOffset AddedAt)
{
    /// <summary>Receives the periodic digest of the list's minutes.</summary>
    public bool WantsDigest { get; init; }

    /// <summary>May send minutes to the list by signed, encrypted mail (mail-in).</summary>
    public bool IsNoteTaker { get; init; }

    /// <summary>The fingerprint an admin confirmed with the member out of band (<c>member verify</c>), if any.</summary>
    public Fingerprint? VerifiedFingerprint { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    public string? VerifiedBy { get; init; }

    /// <summary>
    /// The stored judgement of the key the member holds now, or null when there is none to trust (never judged, or not
    /// readable as this key's): the store opens it only under the keyed tag of the member's current certificate, to which
    /// it was sealed, so it cannot describe another key (<see cref="Storage.MemberStore"/>).
    /// </summary>
    public KeySummary? KeySummary { get; init; }

    /// <summary>Verified means: the key pinned now is the one confirmed; pinning another key undoes it.</summary>
    public bool IsVerified => VerifiedFingerprint == Fingerprint;
}
