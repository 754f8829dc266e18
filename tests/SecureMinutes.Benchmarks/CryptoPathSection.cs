using MimeKit;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 1: building, signing and encrypting each member's PGP/MIME message through the batch path, and
/// writing it out as the transport would (to a counting sink). Per member this includes reading the member's
/// stored certificate and picking the encryption subkeys already chosen when the key was judged (what the runner
/// does with the stored key summary); not included: judging keys, the database, SMTP.
/// </summary>
internal sealed class CryptoPathSection(BenchContext bench)
{
    public const string Title = "1. Crypto+MIME path (PreparedMinutes.CreateFor, 20 KB Markdown + HTML)";

    /// <summary>The measured per-member CPU (one core, largest size), for the ratios of sections 2 and 3.</summary>
    public double CpuMicrosecondsPerMember { get; private set; }

    public void Run(Report report, IReadOnlyList<int> sizes)
    {
        var payload = MinutesPayload.FromDocument(new MinutesDocument("Compte-rendu de l'AG", bench.MinutesText) { Format = MinutesFormat.Markdown });
        var list = bench.List;
        using var context = new ListPgpContext(TimeProvider.System, bench.ListSecret);
        var factory = new MinutesMessageFactory(TimeProvider.System);
        var messageId = MimeUtils.GenerateMessageId(list.Domain);
        var recipients = Recipients(bench.Members.Take(sizes.Max()).ToList());

        // Warm-up (JIT, first OpenSSL use), not measured.
        var warm = factory.Prepare(context, list, payload, messageId);
        foreach (var r in recipients.Take(50))
        {
            Write(warm, r);
        }

        PreparedMinutes? prepared = null;
        var preparation = Measurement.Of(() => prepared = factory.Prepare(context, list, payload, messageId));
        report.Section(Title, "members", "cores", "members/s", "µs CPU per member", "bytes allocated per member", "mail size (bytes)");
        foreach (var size in sizes)
        {
            foreach (var cores in new[] { 1, Environment.ProcessorCount })
            {
                long bytes = 0;
                var run = Measurement.Of(() =>
                {
                    if (cores == 1)
                    {
                        for (var i = 0; i < size; i++)
                        {
                            bytes += Write(prepared!, recipients[i]);
                        }
                    }
                    else
                    {
                        Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = cores },
                            () => 0L, (i, _, sum) => sum + Write(prepared!, recipients[i]), sum => Interlocked.Add(ref bytes, sum));
                    }
                });
                report.Row(size, cores, run.PerSecond(size), run.CpuMicrosecondsEach(size), run.AllocatedEach(size), bytes / size);
                if (cores == 1 && size == sizes.Max())
                {
                    CpuMicrosecondsPerMember = run.CpuMicrosecondsEach(size);
                }
            }
        }

        report.Note($"Preparing the batch (once, shared by every member of it): {preparation.Cpu.TotalMilliseconds:0.0} ms CPU, "
            + $"{preparation.Allocated / 1024:N0} KB allocated; over the runner's batches of 25 that adds "
            + $"{preparation.Cpu.TotalMicroseconds / 25:0} µs per member. Members alternate RSA-3072 and Cv25519, every key distinct; "
            + "CPU is this process's (all threads: GC and JIT included).");
    }

    /// <summary>What the runner holds per member: the stored certificate bytes and the ids of the subkeys to encrypt to.</summary>
    private static List<Recipient> Recipients(List<BenchMember> members)
    {
        var now = DateTimeOffset.UtcNow;
        return members.AsParallel().AsOrdered().Select(m =>
        {
            var ids = KeyAssessor.Assess(new PgpPublicKeyRing(m.Certificate), now).EncryptionKeys.Select(k => k.KeyId).ToArray();
            return new Recipient(m.Email, m.Certificate, ids);
        }).ToList();
    }

    private static long Write(PreparedMinutes prepared, Recipient recipient)
    {
        var ring = new PgpPublicKeyRing(recipient.Certificate);
        var message = prepared.CreateFor(new MailboxAddress(null, recipient.Email), recipient.SubkeyIds.Select(id => ring.GetPublicKey(id)));
        var sink = new CountingStream();
        message.WriteTo(CanonicalFormat, sink);
        return sink.Length;
    }

    private static readonly FormatOptions CanonicalFormat = CreateFormat();

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private sealed record Recipient(string Email, byte[] Certificate, long[] SubkeyIds);
}
