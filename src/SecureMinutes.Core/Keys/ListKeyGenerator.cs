using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.Sig;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SecureMinutes.Keys;

/// <summary>
/// Generates a list's key as the issue asks: an Ed25519 signing/certifying primary and a Cv25519 encryption
/// subkey, v4 format (what GnuPG 2.2, RNP and OpenKeychain all read), user id <c>Name &lt;address&gt;</c>.
/// </summary>
public static class ListKeyGenerator
{
    public static PgpSecretKeyRing Generate(string userId, DateTimeOffset now)
    {
        var random = new SecureRandom();
        // OpenPGP stores seconds; self-signatures must not predate the key.
        var created = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).UtcDateTime;

        var signingGenerator = new Ed25519KeyPairGenerator();
        signingGenerator.Init(new Ed25519KeyGenerationParameters(random));
        var primary = new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, signingGenerator.GenerateKeyPair(), created);

        var encryptionGenerator = new X25519KeyPairGenerator();
        encryptionGenerator.Init(new X25519KeyGenerationParameters(random));
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, encryptionGenerator.GenerateKeyPair(), created);

        var primarySubpackets = new PgpSignatureSubpacketGenerator();
        primarySubpackets.SetSignatureCreationTime(false, created);
        primarySubpackets.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
        primarySubpackets.SetPreferredSymmetricAlgorithms(false, [(int)SymmetricKeyAlgorithmTag.Aes256, (int)SymmetricKeyAlgorithmTag.Aes128]);
        primarySubpackets.SetPreferredHashAlgorithms(false, [(int)HashAlgorithmTag.Sha512, (int)HashAlgorithmTag.Sha256]);
        primarySubpackets.SetPreferredCompressionAlgorithms(false, [(int)CompressionAlgorithmTag.Zip, (int)CompressionAlgorithmTag.ZLib, (int)CompressionAlgorithmTag.Uncompressed]);
        primarySubpackets.SetFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
        primarySubpackets.SetPrimaryUserId(false, true);
        primarySubpackets.SetIssuerFingerprint(false, primary.PublicKey);

        var subkeySubpackets = new PgpSignatureSubpacketGenerator();
        subkeySubpackets.SetSignatureCreationTime(false, created);
        subkeySubpackets.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage);
        subkeySubpackets.SetIssuerFingerprint(false, primary.PublicKey);

        // The secret key is stored unprotected inside the ring and sealed as a whole by the vault instead.
        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, primary, userId,
            SymmetricKeyAlgorithmTag.Null, HashAlgorithmTag.Sha512, utf8PassPhrase: true, passPhrase: null, useSha1: false,
            primarySubpackets.Generate(), null, random);
        generator.AddSubKey(subkey, subkeySubpackets.Generate(), null, HashAlgorithmTag.Sha512);
        return generator.GenerateSecretKeyRing();
    }

    /// <summary>The public half of a secret key ring, as members import it.</summary>
    public static PgpPublicKeyRing PublicRing(PgpSecretKeyRing secretRing)
    {
        // A freshly generated ring keeps its subkeys' public parts as primary-key packets; the parsed form
        // carries proper public-subkey packets, so go through the encoding first.
        var parsed = new PgpSecretKeyRing(secretRing.GetEncoded());
        using var buffer = new MemoryStream();
        foreach (var key in parsed.GetSecretKeys().Select(k => k.PublicKey))
        {
            key.Encode(buffer);
        }

        return new PgpPublicKeyRing(buffer.ToArray());
    }
}
