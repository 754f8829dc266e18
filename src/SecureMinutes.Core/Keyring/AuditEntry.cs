namespace SecureMinutes.Keyring;

/// <summary>
/// One change to a list's keyring: who made it (an admin's name or OS user, or a job), when, to which member,
/// and the fingerprints before and after. Holds key metadata only, never minutes.
/// </summary>
public sealed record AuditEntry(
    long ListId,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? MemberEmail = null,
    string? OldFingerprint = null,
    string? NewFingerprint = null,
    string? Detail = null);
