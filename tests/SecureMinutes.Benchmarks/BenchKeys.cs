using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SecureMinutes.Keys;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureMinutes.Benchmarks;

/// <summary>One benchmark member: an address and a public certificate (odd positions RSA-3072, even Cv25519).</summary>
internal sealed record BenchMember(int Index, string Email, string Type, byte[] Certificate, Fingerprint Fingerprint);

/// <summary>
/// The members' certificates, made once and kept in a cache directory (key generation is never timed):
/// half RSA-3072 (RSA-3072 primary + RSA-3072 encryption subkey, as gpg makes them), half Ed25519 + Cv25519,
/// all distinct. Demo keys: never use them for mail.
/// <para>
/// RSA-3072 keys cost ~1 s of CPU each to generate, so 5,000 certificates (10,000 moduli) would take hours here.
/// Each modulus is instead the product of two different primes from a pool of 143 (OpenSSL made them): every
/// modulus is a genuine two-prime RSA-3072 modulus and distinct from all others, which is what importing and
/// encrypting cost depends on. (Moduli sharing a prime can be factored by anyone with a GCD: fine for throw-away
/// benchmark keys, never for real ones.)
/// </para>
/// </summary>
internal static class BenchKeys
{
    private const string Version = "v1";
    private static readonly DateTime Created = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<BenchMember> Load(string cacheDirectory, int count)
    {
        var dir = Path.Combine(cacheDirectory, $"keys-{Version}");
        var index = Path.Combine(dir, "members.tsv");
        var existing = File.Exists(index) ? File.ReadAllLines(index).Length : 0;
        if (existing < count)
        {
            Directory.CreateDirectory(dir);
            Console.Error.WriteLine($"[bench] generating {count} member certificates into {dir} (once; RSA primes first)…");
            Generate(dir, count);
        }

        var certificates = Path.Combine(dir, "certificates");
        return File.ReadLines(index).Take(count).Select(line =>
        {
            var f = line.Split('\t');
            var i = int.Parse(f[0], CultureInfo.InvariantCulture);
            return new BenchMember(i, f[1], f[2], File.ReadAllBytes(Path.Combine(certificates, $"{i:D5}.pgp")), new Fingerprint(f[3]));
        }).ToList();
    }

    /// <summary>The list's key: the demo list key of keys-example (Ed25519/Cv25519, no passphrase).</summary>
    public static PgpSecretKeyRing ListSecretKey(string repoRoot)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(Path.Combine(repoRoot, "keys-example", "list.sec.asc")));
        return new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
    }

    private static void Generate(string dir, int count)
    {
        var certificates = Path.Combine(dir, "certificates");
        Directory.CreateDirectory(certificates);
        var primes = Primes(dir, count);
        var pairs = Pairs(primes.Count).GetEnumerator();
        var rsaPairs = new List<(int, int, int, int)>();
        for (var i = 1; i <= count; i += 2)
        {
            pairs.MoveNext();
            var (a, b) = pairs.Current;
            pairs.MoveNext();
            var (c, d) = pairs.Current;
            rsaPairs.Add((a, b, c, d));
        }

        var lines = new string[count];
        Parallel.For(1, count + 1, i =>
        {
            var email = $"m{i:D5}@members.example.test";
            PgpPublicKeyRing ring;
            string type;
            if (i % 2 == 1)
            {
                var (a, b, c, d) = rsaPairs[i / 2];
                ring = RsaCertificate($"Member {i} <{email}>", primes[a], primes[b], primes[c], primes[d]);
                type = "rsa3072";
            }
            else
            {
                ring = ListKeyGenerator.PublicRing(ListKeyGenerator.Generate($"Member {i} <{email}>", Created));
                type = "cv25519";
            }

            File.WriteAllBytes(Path.Combine(certificates, $"{i:D5}.pgp"), ring.GetEncoded());
            lines[i - 1] = $"{i}\t{email}\t{type}\t{Fingerprint.Of(ring.GetPublicKey()).Hex}";
        });
        File.WriteAllLines(Path.Combine(dir, "members.tsv"), lines);
    }

    /// <summary>Enough 1536-bit primes that their pairs give two moduli per RSA certificate, cached too.</summary>
    private static List<BigInteger> Primes(string dir, int count)
    {
        var needed = 2;
        while (needed * (needed - 1) / 2 < count + 2)
        {
            needed++;
        }

        var file = Path.Combine(dir, "primes.txt");
        var primes = File.Exists(file) ? File.ReadAllLines(file).Select(l => new BigInteger(l, 16)).ToList() : [];
        if (primes.Count < needed)
        {
            var made = new System.Collections.Concurrent.ConcurrentBag<BigInteger>();
            Parallel.For(0, (needed - primes.Count + 1) / 2, _ =>
            {
                using var rsa = RSA.Create(3072);
                var parameters = rsa.ExportParameters(includePrivateParameters: true);
                made.Add(new BigInteger(1, parameters.P));
                made.Add(new BigInteger(1, parameters.Q));
            });
            primes.AddRange(made);
            File.WriteAllLines(file, primes.Select(p => p.ToString(16)));
        }

        return primes;
    }

    private static IEnumerable<(int, int)> Pairs(int n)
    {
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                yield return (a, b);
            }
        }
    }

    private static PgpPublicKeyRing RsaCertificate(string userId, BigInteger p1, BigInteger q1, BigInteger p2, BigInteger q2)
    {
        var random = new SecureRandom();
        using (RsaModulusCheck.SkipForValidatedKeys())
        {
            var primary = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, RsaPair(p1, q1), Created);
            var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, RsaPair(p2, q2), Created);
            var primarySubpackets = new PgpSignatureSubpacketGenerator();
            primarySubpackets.SetSignatureCreationTime(false, Created);
            primarySubpackets.SetKeyFlags(false, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign);
            primarySubpackets.SetIssuerFingerprint(false, primary.PublicKey);
            var subkeySubpackets = new PgpSignatureSubpacketGenerator();
            subkeySubpackets.SetSignatureCreationTime(false, Created);
            subkeySubpackets.SetKeyFlags(false, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage);
            subkeySubpackets.SetIssuerFingerprint(false, primary.PublicKey);
            var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, primary, userId,
                SymmetricKeyAlgorithmTag.Null, HashAlgorithmTag.Sha512, utf8PassPhrase: true, passPhrase: null, useSha1: false,
                primarySubpackets.Generate(), null, random);
            generator.AddSubKey(subkey, subkeySubpackets.Generate(), null, HashAlgorithmTag.Sha512);
            return ListKeyGenerator.PublicRing(generator.GenerateSecretKeyRing());
        }
    }

    private static AsymmetricCipherKeyPair RsaPair(BigInteger p, BigInteger q)
    {
        var e = BigInteger.ValueOf(65537);
        var n = p.Multiply(q);
        var pMinus = p.Subtract(BigInteger.One);
        var qMinus = q.Subtract(BigInteger.One);
        var d = e.ModInverse(pMinus.Multiply(qMinus));
        var publicKey = new RsaKeyParameters(false, n, e);
        var privateKey = new RsaPrivateCrtKeyParameters(n, e, d, p, q, d.Mod(pMinus), d.Mod(qMinus), q.ModInverse(p));
        return new AsymmetricCipherKeyPair(publicKey, privateKey);
    }
}
