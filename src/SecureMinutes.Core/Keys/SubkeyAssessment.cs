using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>One (sub)key of a certificate as judged for encryption: usable, or the reason why not.</summary>
public sealed record SubkeyAssessment(
    PgpPublicKey Key,
    string KeyId,
    string Algorithm,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    bool CanEncrypt,
    string? Unusable)
{
    public bool IsUsableForEncryption => CanEncrypt && Unusable is null;

    public string Describe() =>
        FormattableString.Invariant($"{KeyId} {Algorithm} created {Created:yyyy-MM-dd}") +
        (Expires is { } e ? FormattableString.Invariant($", expires {e:yyyy-MM-dd}") : ", no expiry") +
        (Unusable is null ? "" : $" — not used: {Unusable}");
}
