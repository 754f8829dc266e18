using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// Builds v4 certificates the fixtures lack, with real keys and real self-signatures (BouncyCastle, the
/// same calls as <see cref="Keys.ListKeyGenerator"/>): RSA of a chosen size, a key or subkey that expires at
/// a given time, a subkey revoked with a reason, a revoked user id.
/// </summary>
internal sealed class TestKeyBuilder
{
    private static readonly SecureRandom Random = new();

    private readonly List<string> _userIds;
    private readonly List<string> _revokedUserIds = [];
    private readonly List<SubkeySpec> _subkeys = [];
    private readonly DateTime _created;
    private int? _rsaPrimaryBits;
    private DateTimeOffset? _expires;
    private HashAlgorithmTag _hash = HashAlgorithmTag.Sha512;

    private TestKeyBuilder(string userId, DateTimeOffset created)
    {
        _userIds = [userId];
        // OpenPGP stores whole seconds; self-signatures must not predate the key.
        _created = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds()).UtcDateTime;
    }

    /// <summary>A key created a day before <paramref name="now"/> (so its signatures are never "in the future").</summary>
    public static TestKeyBuilder Create(string userId, DateTimeOffset now) => new(userId, now.AddDays(-1));

    /// <summary>The primary is Ed25519 [SC] unless this makes it RSA [SC].</summary>
    public TestKeyBuilder WithRsaPrimary(int bits)
    {
        _rsaPrimaryBits = bits;
        return this;
    }

    /// <summary>The whole key (primary self-signature) expires at this time.</summary>
    public TestKeyBuilder Expiring(DateTimeOffset at)
    {
        _expires = at;
        return this;
    }

    /// <summary>Every self-signature uses this digest (SHA-512 unless told): SHA-1 keys as old GnuPG made them.</summary>
    public TestKeyBuilder WithSelfSignatureHash(HashAlgorithmTag hash)
    {
        _hash = hash;
        return this;
    }

    public TestKeyBuilder WithUserId(string userId)
    {
        _userIds.Add(userId);
        return this;
    }

    /// <summary>A user id certified, then revoked (reason: no longer valid) by the key holder.</summary>
    public TestKeyBuilder WithRevokedUserId(string userId)
    {
        _revokedUserIds.Add(userId);
        return this;
    }

    public TestKeyBuilder WithCv25519Subkey(DateTimeOffset? expires = null, (RevocationReasonTag Tag, string Text)? revoked = null) =>
        AddSubkey(new SubkeySpec(null, expires, revoked));

    public TestKeyBuilder WithRsaSubkey(int bits, DateTimeOffset? expires = null, (RevocationReasonTag Tag, string Text)? revoked = null) =>
        AddSubkey(new SubkeySpec(bits, expires, revoked));

    /// <summary>The public certificate, as a member would send it (encoded and parsed back).</summary>
    public PgpPublicKeyRing Build()
    {
        var primary = _rsaPrimaryBits is { } bits
            ? new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, Rsa(bits), _created)
            : new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, Ed25519(), _created);

        var primarySubpackets = new PgpSignatureSubpacketGenerator();
        primarySubpackets.SetSignatureCreationTime(false, _created);
        primarySubpackets.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
        primarySubpackets.SetPrimaryUserId(false, true);
        primarySubpackets.SetIssuerFingerprint(false, primary.PublicKey);
        if (_expires is { } e)
        {
            primarySubpackets.SetKeyExpirationTime(false, SecondsFromCreation(e));
        }

        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, primary, _userIds[0],
            SymmetricKeyAlgorithmTag.Null, _hash, utf8PassPhrase: true, passPhrase: null, useSha1: false,
            primarySubpackets.Generate(), null, Random);

        var subkeyPairs = new List<PgpKeyPair>();
        foreach (var spec in _subkeys)
        {
            var pair = spec.RsaBits is { } rsaBits
                ? new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, Rsa(rsaBits), _created)
                : new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, X25519(), _created);
            var subpackets = new PgpSignatureSubpacketGenerator();
            subpackets.SetSignatureCreationTime(false, _created);
            subpackets.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage);
            subpackets.SetIssuerFingerprint(false, primary.PublicKey);
            if (spec.Expires is { } subkeyExpiry)
            {
                subpackets.SetKeyExpirationTime(false, SecondsFromCreation(subkeyExpiry));
            }

            generator.AddSubKey(pair, subpackets.Generate(), null, _hash);
            subkeyPairs.Add(pair);
        }

        var ring = new PgpPublicKeyRing(generator.GeneratePublicKeyRing().GetEncoded());
        var primaryPublic = ring.GetPublicKey();

        foreach (var userId in _userIds.Skip(1))
        {
            primaryPublic = PgpPublicKey.AddCertification(primaryPublic, userId,
                Sign(primary, PgpSignature.PositiveCertification, _created, g => g.GenerateCertification(userId, primaryPublic)));
        }

        foreach (var userId in _revokedUserIds)
        {
            primaryPublic = PgpPublicKey.AddCertification(primaryPublic, userId,
                Sign(primary, PgpSignature.PositiveCertification, _created, g => g.GenerateCertification(userId, primaryPublic)));
            primaryPublic = PgpPublicKey.AddCertification(primaryPublic, userId,
                Sign(primary, PgpSignature.CertificationRevocation, _created.AddHours(1), g => g.GenerateCertification(userId, primaryPublic),
                    (RevocationReasonTag.UserNoLongerValid, "left the association")));
        }

        ring = PgpPublicKeyRing.InsertPublicKey(ring, primaryPublic);

        for (var i = 0; i < _subkeys.Count; i++)
        {
            if (_subkeys[i].Revoked is not { } reason)
            {
                continue;
            }

            var subkey = ring.GetPublicKey(subkeyPairs[i].KeyId);
            var revocation = Sign(primary, PgpSignature.SubkeyRevocation, _created.AddHours(1),
                g => g.GenerateCertification(primaryPublic, subkey), reason);
            ring = PgpPublicKeyRing.InsertPublicKey(ring, PgpPublicKey.AddCertification(subkey, revocation));
        }

        return new PgpPublicKeyRing(ring.GetEncoded());
    }

    private TestKeyBuilder AddSubkey(SubkeySpec spec)
    {
        _subkeys.Add(spec);
        return this;
    }

    private long SecondsFromCreation(DateTimeOffset at) => (long)(at.UtcDateTime - _created).TotalSeconds;

    private PgpSignature Sign(PgpKeyPair signer, int type, DateTime created, Func<PgpSignatureGenerator, PgpSignature> generate,
        (RevocationReasonTag Tag, string Text)? reason = null)
    {
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, _hash);
        generator.InitSign(type, signer.PrivateKey);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, created);
        hashed.SetIssuerFingerprint(false, signer.PublicKey);
        if (reason is { } r)
        {
            hashed.SetRevocationReason(false, r.Tag, r.Text);
        }

        generator.SetHashedSubpackets(hashed.Generate());
        return generate(generator);
    }

    private static AsymmetricCipherKeyPair Ed25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        return generator.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair X25519()
    {
        var generator = new X25519KeyPairGenerator();
        generator.Init(new X25519KeyGenerationParameters(Random));
        return generator.GenerateKeyPair();
    }

    private sealed record SubkeySpec(int? RsaBits, DateTimeOffset? Expires, (RevocationReasonTag Tag, string Text)? Revoked);

    /// <summary>RSA from the platform's generator (OpenSSL): the same real keys, several times faster than BouncyCastle's.</summary>
    private static AsymmetricCipherKeyPair Rsa(int bits)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(bits);
        return DotNetUtilities.GetRsaKeyPair(rsa);
    }
}
