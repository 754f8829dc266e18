using SecureMinutes.Keys;

namespace SecureMinutes.Lists;

/// <summary>A member of a list, pinned to one certificate (by fingerprint) that their mail is encrypted to.</summary>
public sealed record Member(
    long Id,
    long ListId,
    string Email,
    Fingerprint Fingerprint,
    byte[] PublicKey,
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
    /// What judging the pinned key concluded (<see cref="Keys.KeySummary"/>), if it was judged since it last changed;
    /// read it through <see cref="MemberKeys.StateOf"/>, which judges afresh when it is missing or stale.
    /// </summary>
    public KeySummary? KeySummary { get; init; }

    /// <summary>
    /// Set by the member store when it read this member: <see cref="KeySummary"/> was found to be for exactly these
    /// <see cref="PublicKey"/> bytes (<see cref="KeySummary.IsFor"/>), checked on every core while the rows were opened.
    /// It vouches only for those two very objects: a copy made <c>with</c> another key or another summary is checked
    /// again (<see cref="MemberKeys"/>), so it can never vouch for a summary it was not computed for.
    /// </summary>
    internal SummaryCheck? CheckedSummary { get; init; }

    /// <summary>Verified means: the key pinned now is the one confirmed; pinning another key undoes it.</summary>
    public bool IsVerified => VerifiedFingerprint == Fingerprint;

    /// <summary>The member of <paramref name="entry"/> holding <paramref name="publicKey"/>, as the member store reads them.</summary>
    internal static Member FromEntry(MemberEntry entry, byte[] publicKey, SummaryCheck? checkedSummary) =>
        new(entry.Id, entry.ListId, entry.Email, entry.Fingerprint, publicKey, entry.KeyExpiresAt, entry.IsAdmin, entry.AddedAt)
        {
            WantsDigest = entry.WantsDigest,
            IsNoteTaker = entry.IsNoteTaker,
            VerifiedFingerprint = entry.VerifiedFingerprint,
            VerifiedAt = entry.VerifiedAt,
            VerifiedBy = entry.VerifiedBy,
            KeySummary = entry.KeySummary,
            CheckedSummary = checkedSummary,
        };
}

/// <summary>A key summary and the certificate bytes it was checked against (<see cref="Member.CheckedSummary"/>).</summary>
internal sealed record SummaryCheck(KeySummary Summary, byte[] Certificate)
{
    /// <summary>True when <paramref name="member"/>'s summary and key are the very objects this check was made for.</summary>
    public bool Vouches(Member member) => ReferenceEquals(Summary, member.KeySummary) && ReferenceEquals(Certificate, member.PublicKey);
}
