using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// Which self-signatures are trusted, following Sequoia's standard policy (sequoia-openpgp
/// <c>policy::StandardPolicy</c>, the published policy sqop and Thunderbird's peers apply): MD5 is never
/// accepted; SHA-1 and RIPEMD-160 are accepted for self-signatures (user id certifications, subkey
/// bindings, direct-key signatures) only when made before 2023-02-01. A SHA-1 collision costs about
/// US$45,000 since 2020 (SHA-1 is a Shambles, Leurent and Peyrin); a key made or re-signed since then with
/// SHA-1 is refused with this reason rather than trusted.
/// </summary>
public static class SignaturePolicy
{
    /// <summary>The cut-off of Sequoia's standard policy for SHA-1 and RIPEMD-160 in signatures that need second pre-image resistance.</summary>
    public static readonly DateTime WeakHashCutoff = new(2023, 2, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Why <paramref name="signature"/> is not trusted whatever it verifies to, or null when its hash is acceptable.</summary>
    public static string? Rejection(PgpSignature signature) => signature.HashAlgorithm switch
    {
        HashAlgorithmTag.MD5 => "uses MD5, which no OpenPGP implementation trusts",
        HashAlgorithmTag.Sha1 or HashAlgorithmTag.RipeMD160 when signature.CreationTime >= WeakHashCutoff =>
            FormattableString.Invariant($"uses {Name(signature.HashAlgorithm)} and was made on {signature.CreationTime:yyyy-MM-dd}, after 2023-02-01 (Sequoia's standard policy, followed here, rejects such self-signatures: {Name(signature.HashAlgorithm)} is broken)"),
        _ => null,
    };

    /// <summary>
    /// What to add to "no valid user id"/"no valid binding" when the only self-signatures failed the policy:
    /// the member's key needs new self-signatures (e.g. <c>gpg --quick-set-expire</c> with SHA-256 as digest).
    /// </summary>
    public static string? WhyNoneTrusted(IEnumerable<PgpSignature> selfSignatures)
    {
        var rejected = selfSignatures.Select(Rejection).FirstOrDefault(r => r is not null);
        return rejected is null ? null : $"; its self-signature {rejected}; the member can re-sign it with SHA-256 (gpg --cert-digest-algo SHA256 --quick-set-expire FPR 2y)";
    }

    private static string Name(HashAlgorithmTag hash) => hash == HashAlgorithmTag.Sha1 ? "SHA-1" : "RIPEMD-160";
}
