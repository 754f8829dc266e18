using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// What SecureMinutes concluded about a member's certificate at a given time: its valid user ids, the
/// encryption subkeys mail will be encrypted to, and a status with a one-line reason when it cannot be used.
/// </summary>
public sealed record KeyAssessment(
    PgpPublicKeyRing Certificate,
    Fingerprint Fingerprint,
    IReadOnlyList<string> UserIds,
    IReadOnlyList<SubkeyAssessment> Subkeys,
    KeyStatus Status,
    string? Problem,
    DateTimeOffset? Expires)
{
    /// <summary>The user id the key holder marked primary (the one that names them first), if any is valid.</summary>
    public string? PrimaryUserId { get; init; }

    /// <summary><see cref="Problem"/> as a code and its arguments (null when the key can receive mail), for pages that word it in their reader's language.</summary>
    public KeyProblem? ProblemCode { get; init; }

    public IEnumerable<PgpPublicKey> EncryptionKeys => Subkeys.Where(s => s.IsUsableForEncryption).Select(s => s.Key);

    /// <summary>True when <paramref name="email"/> is the address of one of the valid user ids (case-insensitive; punycode and Unicode domains alike).</summary>
    public bool HasUserIdFor(string email) =>
        UserIds.Any(uid => EmailAddress.SameAddress(UserIdAddress.Of(uid), email));
}
