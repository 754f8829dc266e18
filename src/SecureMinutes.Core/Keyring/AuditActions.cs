namespace SecureMinutes.Keyring;

/// <summary>The actions written to the audit log (stable words: scripts read <c>audit --json</c>).</summary>
public static class AuditActions
{
    public const string MemberAdded = "member-added";
    public const string KeyMerged = "key-merged";
    public const string KeyReplaced = "key-replaced";
    public const string MemberVerified = "member-verified";
    public const string MemberRemoved = "member-removed";
    public const string RefreshMerged = "refresh-merged";
    public const string RefreshOtherKey = "refresh-other-key-seen";
    public const string KeyExpired = "key-expired";
    public const string KeyRevoked = "key-revoked";
    public const string ListKeyRotated = "list-key-rotated";
    public const string ListKeyRevoked = "list-key-revoked";
    public const string RequireVerified = "require-verified";
    /// <summary>Submissions' content shredded (purge, or "retention" by the daily job): how many and which, never content.</summary>
    public const string MinutesShredded = "minutes-shredded";
    /// <summary>A list deleted with everything of it (<see cref="Storage.ServiceAuditStore"/>: the list's own log goes with it).</summary>
    public const string ListDeleted = "list-deleted";
}
