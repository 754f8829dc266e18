namespace SecureMinutes.Joining;

/// <summary>Audit log actions of joining by invite (beside <see cref="Keyring.AuditActions"/>; the member's own addition is logged as <c>member-added</c>).</summary>
public static class JoinAuditActions
{
    public const string InviteCreated = "invite-created";
    public const string InviteRevoked = "invite-revoked";
    public const string JoinChallenged = "join-challenged";
    public const string JoinAwaitingApproval = "join-awaiting-approval";
    public const string JoinRefused = "join-refused";
    public const string JoinExpired = "join-expired";
    public const string JoinAlreadyMember = "join-already-member";
}
