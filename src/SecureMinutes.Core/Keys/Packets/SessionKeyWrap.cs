using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// Writes one v3 Public-Key Encrypted Session Key packet (RFC 9580 §5.1) for a session key we drew, for the two
/// kinds of keys members have: RSA and Curve25519 ECDH. BouncyCastle's <c>PgpEncryptedDataGenerator</c> always
/// draws and wraps its own session key, so a caller that wants to choose the key (to encrypt the data with .NET)
/// cannot use it; <see cref="CanWrap"/> says which keys this covers, the others stay with the generator.
/// <list type="bullet">
/// <item>RSA: PKCS#1 v1.5 encryption of the session-key block (RFC 9580 §5.1.3) by .NET's RSA (OpenSSL): ~0.07 ms
/// for RSA-3072 where BouncyCastle's managed big integers take ~1 ms. The result goes into the packet as an MPI.</item>
/// <item>Cv25519: exactly BouncyCastle's own steps (RFC 6637 §8 / RFC 9580 §5.1.6): an ephemeral X25519 key,
/// the shared secret, <see cref="Rfc6637Utilities.CreateKey(PublicKeyPacket, byte[])"/> for the KDF, AES key wrap of the padded block.</item>
/// </list>
/// The packet itself is BouncyCastle's <see cref="PublicKeyEncSessionPacket"/>.
/// </summary>
public static class SessionKeyWrap
{
    /// <summary>True when <see cref="Write"/> handles this (sub)key: RSA, or ECDH on Curve25519.</summary>
    public static bool CanWrap(PgpPublicKey key) => key.Algorithm switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt => true,
        PublicKeyAlgorithmTag.ECDH => IsCurve25519((ECDHPublicBcpgKey)key.PublicKeyPacket.Key),
        _ => false,
    };

    /// <summary>
    /// The session-key block of RFC 9580 §5.1.3 for a v3 PKESK: the cipher octet, the key, and the two-octet sum
    /// of the key octets.
    /// </summary>
    public static byte[] SessionInfo(SymmetricKeyAlgorithmTag cipher, ReadOnlySpan<byte> sessionKey)
    {
        var info = new byte[sessionKey.Length + 3];
        info[0] = (byte)cipher;
        sessionKey.CopyTo(info.AsSpan(1));
        var sum = 0;
        foreach (var b in sessionKey)
        {
            sum += b;
        }

        info[^2] = (byte)(sum >> 8);
        info[^1] = (byte)sum;
        return info;
    }

    /// <summary>Writes the PKESK packet for <paramref name="key"/>; throws <see cref="ArgumentException"/> for keys <see cref="CanWrap"/> refuses.</summary>
    public static void Write(BcpgOutputStream output, PgpPublicKey key, byte[] sessionInfo, SecureRandom random)
    {
        var data = key.Algorithm switch
        {
            PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt => RsaEncrypt((RsaPublicBcpgKey)key.PublicKeyPacket.Key, sessionInfo),
            PublicKeyAlgorithmTag.ECDH when IsCurve25519((ECDHPublicBcpgKey)key.PublicKeyPacket.Key) => X25519Encrypt(key, sessionInfo, random),
            _ => throw new ArgumentException($"{key.Algorithm} keys are wrapped by BouncyCastle's generator, not here", nameof(key)),
        };
        new PublicKeyEncSessionPacket(key.KeyId, key.Algorithm, [data]).Encode(output);
    }

    private static byte[] RsaEncrypt(RsaPublicBcpgKey key, byte[] sessionInfo)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = key.Modulus.ToByteArrayUnsigned(), Exponent = key.PublicExponent.ToByteArrayUnsigned() });
        var encrypted = rsa.Encrypt(sessionInfo, RSAEncryptionPadding.Pkcs1);
        // An MPI has no leading zero octets (RFC 9580 §3.2), which BouncyCastle's MPInteger takes care of.
        return new MPInteger(new BigInteger(1, encrypted)).GetEncoded();
    }

    private static byte[] X25519Encrypt(PgpPublicKey key, byte[] sessionInfo, SecureRandom random)
    {
        var ecdh = (ECDHPublicBcpgKey)key.PublicKeyPacket.Key;
        var generator = new X25519KeyPairGenerator();
        generator.Init(new X25519KeyGenerationParameters(random));
        var ephemeral = generator.GenerateKeyPair();
        var agreement = new X25519Agreement();
        agreement.Init(ephemeral.Private);
        var secret = new byte[agreement.AgreementSize];
        agreement.CalculateAgreement(key.GetKey(), secret, 0);

        var kek = new KeyParameter(Rfc6637Utilities.CreateKey(key.PublicKeyPacket, secret));
        var wrapper = WrapperUtilities.GetWrapper(ecdh.SymmetricKeyAlgorithm switch
        {
            SymmetricKeyAlgorithmTag.Aes128 or SymmetricKeyAlgorithmTag.Aes192 or SymmetricKeyAlgorithmTag.Aes256 => "AESWRAP",
            var other => throw new PgpException($"unsupported key-wrap algorithm {other} in an ECDH key"),
        });
        wrapper.Init(true, new ParametersWithRandom(kek, random));
        var padded = PgpPad.PadSessionData(sessionInfo, obfuscate: true);
        var wrapped = wrapper.Wrap(padded, 0, padded.Length);

        // The ephemeral public key as an MPI with the 0x40 "native point" prefix, then the wrapped key with its length.
        var point = new byte[1 + X25519PublicKeyParameters.KeySize];
        point[0] = 0x40;
        ((X25519PublicKeyParameters)ephemeral.Public).Encode(point, 1);
        var mpi = new MPInteger(new BigInteger(1, point)).GetEncoded();
        var data = new byte[mpi.Length + 1 + wrapped.Length];
        mpi.CopyTo(data, 0);
        data[mpi.Length] = (byte)wrapped.Length;
        wrapped.CopyTo(data, mpi.Length + 1);
        return data;
    }

    // The OID GnuPG gives Cv25519 keys (RFC 9580 §9.2), which BouncyCastle knows but does not make public.
    private static readonly DerObjectIdentifier LegacyCurve25519 = new("1.3.6.1.4.1.3029.1.5.1");

    private static bool IsCurve25519(ECDHPublicBcpgKey key) =>
        LegacyCurve25519.Equals(key.CurveOid) || EdECObjectIdentifiers.id_X25519.Equals(key.CurveOid);
}
