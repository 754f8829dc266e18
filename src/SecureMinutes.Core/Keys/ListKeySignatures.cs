using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// The signatures a list makes with its own key when the key changes: a certification of the next key's user
/// id (so GnuPG and OpenKeychain users who trust the old key see the new one vouched for) and a revocation.
/// </summary>
public static class ListKeySignatures
{
    /// <summary>The next list key, its user ids certified by the current one (a generic 0x10 certification, as <c>gpg --sign-key</c> makes).</summary>
    public static PgpPublicKeyRing Certify(PgpSecretKeyRing signer, PgpPublicKeyRing next, DateTimeOffset at)
    {
        var certifier = signer.GetSecretKey();
        var primary = next.GetPublicKey();
        var certified = primary;
        foreach (var (id, _) in UserIdAddress.UserIdsOf(primary))
        {
            var generator = Generator(certifier, certifier.PublicKey, PgpSignature.DefaultCertification, at, null);
            certified = PgpPublicKey.AddCertification(certified, id, generator.GenerateCertification(id, primary));
        }

        return new PgpPublicKeyRing(PgpPublicKeyRing.InsertPublicKey(next, certified).GetEncoded());
    }

    /// <summary>The list's public key carrying a revocation of itself, ready to publish.</summary>
    public static PgpPublicKeyRing Revoke(PgpSecretKeyRing key, PgpPublicKeyRing publicKey, RevocationReasonTag reason, string description, DateTimeOffset at)
    {
        var secret = key.GetSecretKey();
        var primary = publicKey.GetPublicKey();
        var generator = Generator(secret, secret.PublicKey, PgpSignature.KeyRevocation, at, (reason, description));
        var revoked = PgpPublicKey.AddCertification(primary, generator.GenerateCertification(primary));
        return new PgpPublicKeyRing(PgpPublicKeyRing.InsertPublicKey(publicKey, revoked).GetEncoded());
    }

    /// <summary>Whether the primary key may certify (our generated list keys: yes; an imported key may say otherwise).</summary>
    public static bool CanCertify(PgpPublicKeyRing publicKey, DateTimeOffset now) =>
        KeyAssessor.Assess(publicKey, now).Subkeys is [var primary, ..]
        && (primary.Flags == 0 || (primary.Flags & PgpKeyFlags.CanCertify) != 0);

    private static PgpSignatureGenerator Generator(PgpSecretKey key, PgpPublicKey issuer, int type, DateTimeOffset at,
        (RevocationReasonTag Tag, string Text)? reason)
    {
        var generator = new PgpSignatureGenerator(key.PublicKey.Algorithm, HashAlgorithmTag.Sha512);
        generator.InitSign(type, key.ExtractPrivateKey(Array.Empty<char>()));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()).UtcDateTime);
        hashed.SetIssuerFingerprint(false, issuer);
        if (reason is { } r)
        {
            hashed.SetRevocationReason(false, r.Tag, r.Text);
        }

        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, key.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator;
    }
}
