using MimeKit;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.SelfService;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 1: encrypting each member's PGP/MIME message through the batch path (<see cref="PreparedMinutes"/>: signed
/// once per batch) and writing it out as the transport would (to a counting sink). Per member this includes what the
/// send loop does with the member's stored certificate and the subkey ids their key judgement chose: the
/// <see cref="RecipientKeyCache"/> look-up (a SHA-256 of the certificate), the session key and its PKESK, the SEIPD
/// packet, the armor and the MIME message. "Cold" is a worker's first submission (every certificate parsed, every RSA
/// key imported into OpenSSL: a fresh cache), "warm" the ones after (members receive every submission). Not included:
/// judging keys, the database, SMTP.
/// </summary>
internal sealed class CryptoPathSection(BenchContext bench)
{
    public const string Title = "1. Crypto+MIME path (PreparedMinutes.CreateFor, 20 KB Markdown + HTML)";

    /// <summary>The measured per-member CPU (one core, largest size, warm cache), for the ratios of sections 2 and 3.</summary>
    public double CpuMicrosecondsPerMember { get; private set; }

    /// <summary>The same, each copy with its member's footer (issue 11).</summary>
    public double FooterCpuMicrosecondsPerMember { get; private set; }

    /// <summary>The same with a cold cache (a worker's first submission).</summary>
    public double ColdCpuMicrosecondsPerMember { get; private set; }

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
        var warmCache = new RecipientKeyCache(100);
        foreach (var r in recipients.Take(50))
        {
            Write(warm, warmCache, r);
        }

        PreparedMinutes? prepared = null;
        var preparation = Measurement.Of(() => prepared = factory.Prepare(context, list, payload, messageId));
        // Issue 11: each copy ends with its member's own footer (personal link), signed for that member.
        var signer = new TextSignature(context.GetSigningKey(list.Mailbox));
        Write(factory.PrepareWithFooters(context, list, payload, messageId), warmCache, recipients[0], signer, list); // warm-up
        PreparedMinutes? withFooters = null;
        var footerPreparation = Measurement.Of(() => withFooters = factory.PrepareWithFooters(context, list, payload, messageId));
        report.Section(Title, "members", "cache", "cores", "members/s", "µs CPU per member", "bytes allocated per member", "mail size (bytes)");
        foreach (var size in sizes)
        {
            var cache = new RecipientKeyCache(sizes.Max());
            foreach (var (label, cores) in new[] { ("cold", 1), ("warm", 1), ("warm", Environment.ProcessorCount), ("warm+footer", 1) })
            {
                long bytes = 0;
                var run = Measurement.Of(() =>
                {
                    if (label == "warm+footer")
                    {
                        for (var i = 0; i < size; i++)
                        {
                            bytes += Write(withFooters!, cache, recipients[i], signer, list);
                        }
                    }
                    else if (cores == 1)
                    {
                        for (var i = 0; i < size; i++)
                        {
                            bytes += Write(prepared!, cache, recipients[i]);
                        }
                    }
                    else
                    {
                        Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = cores },
                            () => 0L, (i, _, sum) => sum + Write(prepared!, cache, recipients[i]), sum => Interlocked.Add(ref bytes, sum));
                    }
                });
                report.Row(size, label, cores, run.PerSecond(size), run.CpuMicrosecondsEach(size), run.AllocatedEach(size), bytes / size);
                if (cores == 1 && size == sizes.Max())
                {
                    if (label == "warm+footer")
                    {
                        FooterCpuMicrosecondsPerMember = run.CpuMicrosecondsEach(size);
                    }
                    else if (label == "cold")
                    {
                        ColdCpuMicrosecondsPerMember = run.CpuMicrosecondsEach(size);
                    }
                    else
                    {
                        CpuMicrosecondsPerMember = run.CpuMicrosecondsEach(size);
                    }
                }
            }
        }

        report.Note($"Preparing the batch (once, shared by every member of it: the signed minutes, compressed): {preparation.Cpu.TotalMilliseconds:0.0} ms CPU, "
            + $"{preparation.Allocated / 1024:N0} KB allocated. Members alternate RSA-3072 and Cv25519, every key distinct; "
            + "CPU is this process's (all threads: GC and JIT included).");
        report.Note($"warm+footer: each copy ends with its member's own footer (personal link, issue 11), signed for that member (Ed25519 over the "
            + $"footer after the batch's SHA-512 state, a small DEFLATE stream after the batch's sync flush): {FooterCpuMicrosecondsPerMember - CpuMicrosecondsPerMember:0} µs "
            + $"CPU more per member than without; preparing such a batch: {footerPreparation.Cpu.TotalMilliseconds:0.0} ms CPU.");
    }

    /// <summary>What the send loop holds per member: the stored certificate bytes and the ids of the subkeys to encrypt to.</summary>
    private static List<Recipient> Recipients(List<BenchMember> members)
    {
        var now = DateTimeOffset.UtcNow;
        return members.AsParallel().AsOrdered().Select(m =>
        {
            var ids = KeyAssessor.Assess(new PgpPublicKeyRing(m.Certificate), now).EncryptionKeys.Select(k => k.KeyId).ToArray();
            return new Recipient(m.Email, m.Certificate, ids);
        }).ToList();
    }

    private static long Write(PreparedMinutes prepared, RecipientKeyCache cache, Recipient recipient)
    {
        var message = prepared.CreateFor(new MailboxAddress(null, recipient.Email), cache.KeysFor(recipient.Certificate, recipient.SubkeyIds));
        var sink = new CountingStream();
        message.WriteTo(CanonicalFormat, sink);
        return sink.Length;
    }

    private static long Write(PreparedMinutes prepared, RecipientKeyCache cache, Recipient recipient, TextSignature signer, MailingList list)
    {
        var footer = MemberFooterText.For(list, new Uri($"https://minutes.example.org/member/{Guid.NewGuid():N}"), DateTimeOffset.UtcNow.AddDays(180));
        var message = prepared.CreateFor(new MailboxAddress(null, recipient.Email), cache.KeysFor(recipient.Certificate, recipient.SubkeyIds), footer, signer);
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
