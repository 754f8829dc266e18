namespace SecureMinutes.Joining;

/// <summary>
/// A link a list admin hands out (on screen as a QR code at the AG, or by mail) so that people can ask to join the list
/// themselves. It works until <see cref="ExpiresAt"/>, for <see cref="MaxUses"/> members at most (a use is counted when
/// someone becomes a member, or is put before an admin, not when a challenge is merely sent), until revoked.
/// </summary>
public sealed record JoinInvite(long Id, long ListId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int MaxUses, int Uses,
    bool NeedsApproval, DateTimeOffset? RevokedAt)
{
    /// <summary>Open for new requests at <paramref name="now"/>: not revoked, not expired, uses left.</summary>
    public bool IsOpen(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now && Uses < MaxUses;
}
