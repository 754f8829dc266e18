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
/// One encryption subkey of a member, made ready once to wrap session keys (RFC 9580 §5.1: a v3 Public-Key
/// Encrypted Session Key packet), so that a long-running worker pays the set-up once per key rather than once per
/// message (<see cref="RecipientKeyCache"/> keeps them):
/// <list type="bullet">
/// <item>RSA: the public key imported into OpenSSL through .NET's <see cref="RSA"/> (~0.3 ms: OpenSSL 3 builds a
/// provider key object, three times the cost of the encryption itself), then PKCS#1 v1.5 encryption of the
/// session-key block (RFC 9580 §5.1.3) per message, ~0.07 ms for RSA-3072 where BouncyCastle's managed big
/// integers take ~1 ms. The result goes into the packet as an MPI.</item>
/// <item>Cv25519: the recipient's X25519 public key decoded once; per message exactly BouncyCastle's own steps
/// (RFC 6637 §8 / RFC 9580 §5.1.6): an ephemeral X25519 key, the shared secret,
/// <see cref="Rfc6637Utilities.CreateKey(PublicKeyPacket, byte[])"/> for the KDF, AES key wrap of the padded block.</item>
/// </list>
/// BouncyCastle's <c>PgpEncryptedDataGenerator</c> draws and wraps its own session key, so a caller that chooses the
/// key (to encrypt the data with .NET) cannot use it; <see cref="CanWrap"/> says which keys this covers, the others
/// (ElGamal, NIST-curve ECDH: no member of the field cases has one) stay with the generator. Only public material is
/// held: nothing here is secret. Safe to use from several threads at once.
/// </summary>
public sealed class RecipientKey
{
    // The OID GnuPG gives Cv25519 keys (RFC 9580 §9.2), which BouncyCastle knows but does not make public.
    private static readonly DerObjectIdentifier LegacyCurve25519 = new("1.3.6.1.4.1.3029.1.5.1");

    private readonly RSA? _rsa;
    private readonly X25519PublicKeyParameters? _x25519;

    private RecipientKey(PgpPublicKey key)
    {
        Key = key;
        switch (key.Algorithm)
        {
            case PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt:
                var rsaKey = (RsaPublicBcpgKey)key.PublicKeyPacket.Key;
                _rsa = RSA.Create();
                _rsa.ImportParameters(new RSAParameters { Modulus = rsaKey.Modulus.ToByteArrayUnsigned(), Exponent = rsaKey.PublicExponent.ToByteArrayUnsigned() });
                break;
            case PublicKeyAlgorithmTag.ECDH when IsCurve25519((ECDHPublicBcpgKey)key.PublicKeyPacket.Key):
                _x25519 = (X25519PublicKeyParameters)key.GetKey();
                break;
        }
    }

    /// <summary>The subkey as BouncyCastle parsed it (for the generator's path, and for its id).</summary>
    public PgpPublicKey Key { get; }

    public long KeyId => Key.KeyId;

    /// <summary>True when <see cref="WritePacket"/> wraps for this key; false for keys only BouncyCastle's generator handles.</summary>
    public bool CanWrap => _rsa is not null || _x25519 is not null;

    /// <summary>True when <see cref="For"/> would make a key that <see cref="CanWrap"/>: RSA, or ECDH on Curve25519.</summary>
    public static bool CanWrapKey(PgpPublicKey key) => key.Algorithm switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt => true,
        PublicKeyAlgorithmTag.ECDH => IsCurve25519((ECDHPublicBcpgKey)key.PublicKeyPacket.Key),
        _ => false,
    };

    /// <summary>Prepares <paramref name="key"/> (an encryption subkey already judged usable, <see cref="KeyAssessor"/>).</summary>
    public static RecipientKey For(PgpPublicKey key) => new(key);

    /// <summary>
    /// The session-key block of RFC 9580 §5.1.3 for a v3 PKESK: the cipher octet, the key, and the two-octet sum
    /// of the key octets, written into <paramref name="destination"/> (<c>key length + 3</c> octets).
    /// </summary>
    public static void SessionInfo(SymmetricKeyAlgorithmTag cipher, ReadOnlySpan<byte> sessionKey, Span<byte> destination)
    {
        destination[0] = (byte)cipher;
        sessionKey.CopyTo(destination[1..]);
        var sum = 0;
        foreach (var b in sessionKey)
        {
            sum += b;
        }

        destination[sessionKey.Length + 1] = (byte)(sum >> 8);
        destination[sessionKey.Length + 2] = (byte)sum;
    }

    /// <summary>
    /// Writes the PKESK packet that gives this key's holder <paramref name="sessionInfo"/> (see <see cref="SessionInfo"/>).
    /// Throws <see cref="InvalidOperationException"/> for a key that cannot be wrapped here (<see cref="CanWrap"/>).
    /// </summary>
    public void WritePacket(BcpgOutputStream output, byte[] sessionInfo, SecureRandom random)
    {
        byte[] data;
        if (_rsa is { } rsa)
        {
            byte[] encrypted;
            // .NET documents no thread safety for one RSA instance; two workers sending to the same member at once is
            // rare, and an uncontended lock costs nanoseconds against the ~70 µs of the encryption.
            lock (rsa)
            {
                encrypted = rsa.Encrypt(sessionInfo, RSAEncryptionPadding.Pkcs1);
            }

            // An MPI has no leading zero octets (RFC 9580 §3.2), which BouncyCastle's MPInteger takes care of.
            data = new MPInteger(new BigInteger(1, encrypted)).GetEncoded();
        }
        else if (_x25519 is { } x25519)
        {
            data = X25519Encrypt(x25519, sessionInfo, random);
        }
        else
        {
            throw new InvalidOperationException($"{Key.Algorithm} keys are wrapped by BouncyCastle's generator, not here");
        }

        new PublicKeyEncSessionPacket(Key.KeyId, Key.Algorithm, [data]).Encode(output);
    }

    private byte[] X25519Encrypt(X25519PublicKeyParameters recipient, byte[] sessionInfo, SecureRandom random)
    {
        var ecdh = (ECDHPublicBcpgKey)Key.PublicKeyPacket.Key;
        var generator = new X25519KeyPairGenerator();
        generator.Init(new X25519KeyGenerationParameters(random));
        var ephemeral = generator.GenerateKeyPair();
        var agreement = new X25519Agreement();
        agreement.Init(ephemeral.Private);
        var secret = new byte[agreement.AgreementSize];
        agreement.CalculateAgreement(recipient, secret, 0);

        var kek = new KeyParameter(Rfc6637Utilities.CreateKey(Key.PublicKeyPacket, secret));
        CryptographicOperations.ZeroMemory(secret);
        var wrapper = WrapperUtilities.GetWrapper(ecdh.SymmetricKeyAlgorithm switch
        {
            SymmetricKeyAlgorithmTag.Aes128 or SymmetricKeyAlgorithmTag.Aes192 or SymmetricKeyAlgorithmTag.Aes256 => "AESWRAP",
            var other => throw new PgpException($"unsupported key-wrap algorithm {other} in an ECDH key"),
        });
        wrapper.Init(true, new ParametersWithRandom(kek, random));
        var padded = PgpPad.PadSessionData(sessionInfo, obfuscate: true);
        var wrapped = wrapper.Wrap(padded, 0, padded.Length);
        CryptographicOperations.ZeroMemory(padded);

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

    private static bool IsCurve25519(ECDHPublicBcpgKey key) =>
        LegacyCurve25519.Equals(key.CurveOid) || EdECObjectIdentifiers.id_X25519.Equals(key.CurveOid);
}
