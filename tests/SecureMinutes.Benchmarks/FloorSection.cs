using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 3: the floor, the public-key operations alone with the fastest implementation we have: per member one
/// session-key wrap (RSA-3072: PKCS#1 v1.5 by OpenSSL through .NET; Cv25519: X25519 by BouncyCastle, .NET has
/// none), and one Ed25519 signature for the whole batch. Everything else the crypto+MIME path does is measured
/// against it.
/// </summary>
internal sealed class FloorSection(BenchContext bench)
{
    private const int Count = 2500;

    public void Run(Report report, double pathMicroseconds)
    {
        var now = DateTimeOffset.UtcNow;
        var keys = bench.Members.Take(Count)
            .Select(m => (m.Type, Key: KeyAssessor.Assess(new PgpPublicKeyRing(m.Certificate), now).EncryptionKeys.Single()))
            .ToList();
        var signer = new TextSignature(bench.ListSecret.GetSecretKey());
        var random = new SecureRandom();
        var sessionInfo = SessionKeyWrap.SessionInfo(SymmetricKeyAlgorithmTag.Aes256, new byte[32]);
        void Wrap(PgpPublicKey key)
        {
            var output = new BcpgOutputStream(Stream.Null);
            SessionKeyWrap.Write(output, key, sessionInfo, random);
        }

        foreach (var (_, key) in keys.Take(50))
        {
            Wrap(key);
        }

        report.Section("3. Floor: public-key operations alone (one wrap per member, one signature per batch)", "what", "count", "µs CPU each");
        var floor = 0.0;
        foreach (var type in new[] { "rsa3072", "cv25519" })
        {
            var ofType = keys.Where(k => k.Type == type).Select(k => k.Key).ToList();
            var run = Measurement.Of(() => ofType.ForEach(Wrap));
            report.Row($"session-key wrap, {type}", ofType.Count, run.CpuMicrosecondsEach(ofType.Count));
            floor += run.CpuMicrosecondsEach(ofType.Count) / 2; // members are half of each
        }

        var signature = Measurement.Of(() => signer.Sign(now, new byte[64]));
        report.Row("Ed25519 signature (once per batch)", 1, signature.Cpu.TotalMicroseconds);
        report.Row("**floor per member (half RSA-3072, half Cv25519)**", Count, floor);
        if (pathMicroseconds > 0)
        {
            report.Note($"Our crypto+MIME path (section 1, one core, largest size): {pathMicroseconds:0} µs CPU per member = "
                + $"{100 * pathMicroseconds / floor:0}% of the floor (the floor is {100 * floor / pathMicroseconds:0}% of our path).");
        }
    }
}
