using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>How admins see an algorithm: "RSA-3072", "Ed25519", "Cv25519", "NIST P-256".</summary>
public static class KeyAlgorithmName
{
    public static string Of(PgpPublicKey key)
    {
        var curve = key.PublicKeyPacket.Key is ECPublicBcpgKey ec ? CurveName(ec.CurveOid.Id) : null;
        return key.Algorithm switch
        {
            PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.RsaSign => $"RSA-{key.BitStrength}",
            PublicKeyAlgorithmTag.Dsa => $"DSA-{key.BitStrength}",
            PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral => $"ElGamal-{key.BitStrength}",
            PublicKeyAlgorithmTag.ECDH => curve == "Curve25519" ? "Cv25519" : $"ECDH {curve}",
            PublicKeyAlgorithmTag.ECDsa => $"ECDSA {curve}",
            PublicKeyAlgorithmTag.EdDsa_Legacy => curve == "Ed25519" ? "Ed25519" : $"EdDSA {curve}",
            PublicKeyAlgorithmTag.X25519 => "X25519",
            PublicKeyAlgorithmTag.X448 => "X448",
            PublicKeyAlgorithmTag.Ed25519 => "Ed25519 (v6 format)",
            PublicKeyAlgorithmTag.Ed448 => "Ed448",
            _ => $"algorithm {(int)key.Algorithm}",
        };
    }

    private static string CurveName(string oid) => oid switch
    {
        "1.3.6.1.4.1.3029.1.5.1" => "Curve25519",
        "1.3.6.1.4.1.11591.15.1" => "Ed25519",
        "1.2.840.10045.3.1.7" => "NIST P-256",
        "1.3.132.0.34" => "NIST P-384",
        "1.3.132.0.35" => "NIST P-521",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        "1.3.101.110" => "Curve25519",
        "1.3.101.112" => "Ed25519",
        _ => oid,
    };
}
