using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// Which signatures on a certificate the key holder made: self-certifications of user ids, subkey bindings,
/// direct-key signatures and revocations. Third-party certifications are never used by SecureMinutes and
/// would only tell whoever seizes the server who vouched for whom, so they are not kept.
/// </summary>
internal static class SelfSignatures
{
    public static bool IsFromPrimary(PgpSignature signature, PgpPublicKey primary)
    {
        if (signature.KeyId == primary.KeyId)
        {
            return true;
        }

        // Version 4 signatures may name their issuer by fingerprint only (RFC 9580 §5.2.3.35).
        var issuer = signature.GetHashedSubPackets()?.GetIssuerFingerprint();
        return signature.KeyId == 0 && (issuer is null || issuer.GetFingerprint().AsSpan().SequenceEqual(primary.GetFingerprint()));
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a cryptographically valid self-signature over the component
    /// it is attached to. Keys were validated when imported, so the RSA modulus test is skipped here.
    /// </summary>
    public static bool Verify(PgpSignature signature, PgpPublicKey primary, Component component)
    {
        if (!IsFromPrimary(signature, primary))
        {
            return false;
        }

        using (RsaModulusCheck.SkipForValidatedKeys())
        {
            try
            {
                signature.InitVerify(primary);
                return component switch
                {
                    { RawUserId: { } id } => UserIdCertification.Verify(signature, id, primary),
                    { UserAttribute: { } attribute } => signature.VerifyCertification(attribute, primary),
                    { Subkey: { } subkey } => signature.VerifyCertification(primary, subkey),
                    _ => signature.VerifyCertification(primary),
                };
            }
            // SecurityUtilityException: an algorithm pair BouncyCastle cannot verify at all.
            catch (Exception ex) when (ex is PgpException or ArgumentException or InvalidOperationException or IOException
                or Org.BouncyCastle.Security.SecurityUtilityException)
            {
                return false;
            }
        }
    }

    /// <summary>What a signature is attached to: the primary key itself, a user id, a user attribute or a subkey.</summary>
    public sealed record Component(byte[]? RawUserId = null, PgpUserAttributeSubpacketVector? UserAttribute = null, PgpPublicKey? Subkey = null)
    {
        public static readonly Component PrimaryKey = new();
    }

    /// <summary>The certificate without third-party certifications (and without user ids only others certified).</summary>
    public static PgpPublicKeyRing Only(PgpPublicKeyRing certificate)
    {
        var primary = certificate.GetPublicKey();
        var kept = primary;
        foreach (var signature in primary.GetSignatures().ToList())
        {
            if (!IsFromPrimary(signature, primary))
            {
                kept = PgpPublicKey.RemoveCertification(kept, signature) ?? kept;
            }
        }

        foreach (var raw in kept.GetRawUserIds().ToList())
        {
            if (!kept.GetSignaturesForId(raw).Any())
            {
                kept = PgpPublicKey.RemoveCertification(kept, raw) ?? kept;
            }
        }

        var ring = PgpPublicKeyRing.InsertPublicKey(certificate, kept);
        foreach (var subkey in certificate.GetPublicKeys().Where(k => !k.IsMasterKey).ToList())
        {
            var keptSubkey = subkey;
            foreach (var signature in subkey.GetSignatures().Where(s => !IsFromPrimary(s, primary)).ToList())
            {
                keptSubkey = PgpPublicKey.RemoveCertification(keptSubkey, signature) ?? keptSubkey;
            }

            ring = PgpPublicKeyRing.InsertPublicKey(ring, keptSubkey);
        }

        return new PgpPublicKeyRing(ring.GetEncoded());
    }

    public static bool IsDirectKeyType(int type) => type is PgpSignature.DirectKey or PgpSignature.KeyRevocation;

    public static bool IsSubkeyType(int type) => type is PgpSignature.SubkeyBinding or PgpSignature.SubkeyRevocation;

    public static bool IsUserIdType(int type) => type is PgpSignature.DefaultCertification or PgpSignature.NoCertification
        or PgpSignature.CasualCertification or PgpSignature.PositiveCertification or PgpSignature.CertificationRevocation;
}
