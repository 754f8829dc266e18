namespace SecureMinutes.SelfService;

/// <summary>Audit log actions and actors of members acting on their own membership (beside <see cref="Keyring.AuditActions"/>).</summary>
public static class SelfServiceAudit
{
    public const string KeyUpdateRequested = "key-update-requested";
    public const string KeyUpdateAwaitingAdmin = "key-update-awaiting-approval";
    public const string KeyUpdateRefused = "key-update-refused";
    public const string MemberLeft = "member-left";

    /// <summary>Actor of lines written for the member themself, through their personal link or a signed mail.</summary>
    public const string SelfActor = "self (member link)";
}
