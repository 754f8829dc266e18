using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 3: the floor, the public-key operations alone with the fastest implementation we have: per member one
/// session-key wrap (RSA-3072: PKCS#1 v1.5 by OpenSSL through .NET, the key already imported as a worker's
/// <see cref="RecipientKeyCache"/> holds it; Cv25519: X25519 by BouncyCastle, .NET has none), and one Ed25519
/// signature for the whole batch. Everything else the crypto+MIME path does is measured against it. Importing an RSA
/// key into OpenSSL (once per key and process) is shown apart: it is what a worker's first submission pays more.
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
        var sessionInfo = new byte[35];
        RecipientKey.SessionInfo(SymmetricKeyAlgorithmTag.Aes256, new byte[32], sessionInfo);
        var ready = keys.Select(k => (k.Type, Key: RecipientKey.For(k.Key))).ToList();
        void Wrap(RecipientKey key) => key.WritePacket(new BcpgOutputStream(Stream.Null), sessionInfo, random);

        foreach (var (_, key) in ready.Take(50))
        {
            Wrap(key);
        }

        report.Section("3. Floor: public-key operations alone (one wrap per member, one signature per batch)", "what", "count", "µs CPU each");
        var floor = 0.0;
        foreach (var type in new[] { "rsa3072", "cv25519" })
        {
            var ofType = ready.Where(k => k.Type == type).Select(k => k.Key).ToList();
            var run = Measurement.Of(() => ofType.ForEach(Wrap));
            report.Row($"session-key wrap, {type}", ofType.Count, run.CpuMicrosecondsEach(ofType.Count));
            floor += run.CpuMicrosecondsEach(ofType.Count) / 2; // members are half of each
        }

        var rsaKeys = keys.Where(k => k.Type == "rsa3072").Select(k => k.Key).ToList();
        var import = Measurement.Of(() => rsaKeys.ForEach(k => _ = RecipientKey.For(k)));
        report.Row("RSA-3072 key imported into OpenSSL (once per key and process: not in the floor)", rsaKeys.Count, import.CpuMicrosecondsEach(rsaKeys.Count));
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
