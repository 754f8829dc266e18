using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CsCheck;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Seeded fuzzing (CsCheck) of the readers strangers feed: the key reader, the mail-in reader, the Markdown
/// renderer with its sanitizer, and the CSV reader. Thousands of mutated real inputs each; every input must
/// end within <see cref="PerInput"/> (a hang fails the test) and may only fail with our own one-line error
/// (<see cref="UserFacingException"/>). Each test prints its figures: inputs tried, refusals, slowest input.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    [Fact]
    public void KeyReader_SurvivesMutatedKeysAndMails()
    {
        var samples = new List<byte[]>
        {
            FieldCases.Bytes("keys/userid-with-crlf.asc"),
            FieldCases.Bytes("keys/userid-with-escape-sequences.asc"),
            FieldCases.Bytes("keys/many-certificates-20000.bin")[..3000],
            File.ReadAllBytes(Path.Combine(TestPaths.DemoKeys, "camille.pub.asc")),
            TestKeys.FixtureBytes("rsa3072"),
            TestKeys.FixtureBytes("twouid"),
            TestKeys.Fixture("ed25519").GetEncoded(),
            KeyMail.ThunderbirdAttachedKey(Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519")), "0123456789ABCDEF", base64: true),
            KeyMail.Forwarded(KeyMail.InlineKeyInQuotedPrintableText(Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519")))),
            KeyMail.AutocryptOnly(TestKeys.Fixture("ed25519").GetEncoded()),
        };
        var now = DateTimeOffset.UtcNow;
        Run("key reader", Mutations.Of(samples), 4000, "0000000000Ed", data =>
        {
            foreach (var found in KeyFileReader.Read(data, "fuzz.asc"))
            {
                _ = KeyInspection.Of(found, now).Lines().ToList();
            }
        });
    }

    [Fact]
    public void MarkdownRendererAndSanitizer_SurviveMutatedMinutes_AndStayInert()
    {
        var samples = new List<string>
        {
            File.ReadAllText(FieldCases.Path("minutes/javascript-autolink.md")),
            File.ReadAllText(FieldCases.Path("minutes/nested-quotes-200.md")),
            "# AG\n\n- **voté** _reporté_ ~~barré~~\n- [ ] à faire\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n> cité\n\n```\ncode\n```\n[lien](https://example.org) ![i](cid:x) <https://a.example>\n",
        };
        samples.AddRange(XssChecks.Corpus.Take(60));
        Run("markdown + sanitizer", Mutations.OfText(samples), 4000, "0000000000Fd", markdown => XssChecks.AssertInert(MarkdownRenderer.ToHtml(markdown)));
    }

    [Fact]
    public void CsvReader_SurvivesMutatedCsvs()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("k.asc"), TestKeys.FixtureBytes("ed25519"));
        var samples = new List<byte[]>
        {
            "email,keyfile,fingerprint\ncamille@example.org,k.asc,ABCD 1234 ABCD 1234 ABCD 1234 ABCD 1234 ABCD 1234\n# note\n\"sacha@example.org\",\"k.asc\"\n"u8.ToArray(),
            "\uFEFFzoe@bücher.example,../k.asc\r\nx@xn--bcher-kva.example,/etc/hostname\r\n"u8.ToArray(),
        };
        var csv = dir.File("m.csv");
        var lockCsv = new object();
        Run("csv reader", Mutations.Of(samples), 3000, "0000000000Gd", data =>
        {
            lock (lockCsv)
            {
                File.WriteAllBytes(csv, data);
                _ = CsvKeyMapping.Read(csv);
            }
        });
    }

    [Fact]
    public void MailInReader_SurvivesMutatedEncryptedMails()
    {
        var fixture = MailInFixture.Create();
        var samples = new List<byte[]> { fixture.Valid, fixture.Unsigned, fixture.Plain };
        Run("mail-in reader (outer)", Mutations.Of(samples), 1500, "0000000000Hd", data =>
        {
            MimeMessage message;
            try
            {
                message = MimeMessage.Load(new MemoryStream(data));
            }
            catch (FormatException)
            {
                return; // not a mail at all: IMAP would not have handed it over as one
            }

            _ = fixture.Read(message);
        });
    }

    [Fact]
    public void MailInReader_SurvivesMutatedContent_SignedAndEncrypted_AsANoteTakerWouldSendIt()
    {
        var fixture = MailInFixture.Create();
        var samples = new List<byte[]> { fixture.InnerBody };
        Run("mail-in reader (inner)", Mutations.Of(samples), 600, "0000000000Id", data =>
        {
            MimeEntity body;
            try
            {
                body = MimeEntity.Load(new MemoryStream(data));
            }
            catch (FormatException)
            {
                return;
            }

            _ = fixture.Read(fixture.SignAndEncrypt(body));
        });
    }

    /// <summary>Runs <paramref name="target"/> over <paramref name="iterations"/> inputs and prints the figures.</summary>
    private void Run<T>(string name, Gen<T> inputs, long iterations, string seed, Action<T> target)
    {
        long tried = 0, refused = 0;
        var slowest = TimeSpan.Zero;
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        inputs.Sample(input =>
        {
            Interlocked.Increment(ref tried);
            var started = Stopwatch.StartNew();
            var run = Task.Run(() =>
            {
                try
                {
                    target(input);
                    return false;
                }
                catch (UserFacingException ex)
                {
                    Assert.DoesNotContain('\n', ex.Message);
                    return true;
                }
            });
            if (!run.Wait(PerInput))
            {
                failures.Enqueue($"hang: input did not finish in {PerInput.TotalSeconds} s");
                throw new TimeoutException($"{name}: an input took over {PerInput}");
            }

            if (run.Result)
            {
                Interlocked.Increment(ref refused);
            }

            lock (failures)
            {
                slowest = started.Elapsed > slowest ? started.Elapsed : slowest;
            }
        }, seed: seed, iter: iterations, threads: 2);
        output.WriteLine(FormattableString.Invariant(
            $"fuzz {name}: {tried} inputs, {refused} refused in one line, {tried - refused} answered without an error, 0 crashes, 0 hangs, slowest {slowest.TotalMilliseconds:F0} ms, {clock.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>A list, its key and two members; mails as Thunderbird sends them to the intake mailbox.</summary>
    private sealed class MailInFixture
    {
        private static readonly PgpSecretKeyRing ListSecret = TestKeys.DemoSecret("list");
        private static readonly PgpPublicKeyRing ListPublic = ListKeyGenerator.PublicRing(ListSecret);
        private readonly MailingList _list = new(1, "ag", "ag@lists.example.test", "AG", Fingerprint.Of(ListPublic.GetPublicKey()), ListPublic.GetEncoded(), DateTimeOffset.UtcNow);
        private readonly List<Member> _members;
        private readonly MailInReader _reader = new(new IntakeLimits(), TimeProvider.System);

        // Assessed once: BouncyCastle's signature objects keep verification state, so one certificate object
        // must not be assessed on two threads at once.
        private readonly List<PgpPublicKey> _listEncryptionKeys = KeyAssessor.Assess(ListPublic, DateTimeOffset.UtcNow).EncryptionKeys.ToList();

        private MailInFixture()
        {
            var ring = TestKeys.Fixture("ed25519");
            _members = [new Member(1, 1, "ed25519@example.org", Fingerprint.Of(ring.GetPublicKey()), ring.GetEncoded(), null, false, DateTimeOffset.UtcNow) { IsNoteTaker = true }];
        }

        public byte[] Valid { get; private set; } = [];

        public byte[] Unsigned { get; private set; } = [];

        public byte[] Plain { get; private set; } = [];

        public byte[] InnerBody { get; private set; } = [];

        public static MailInFixture Create()
        {
            var fixture = new MailInFixture();
            var body = new Multipart("mixed")
            {
                new TextPart("plain") { Text = "# CR\n\n> cité\n- point\n" },
                new MimePart("application", "pdf") { Content = new MimeContent(new MemoryStream([1, 2, 3])), FileName = "votes.pdf", ContentTransferEncoding = ContentEncoding.Base64 },
            };
            body.Headers.Add(HeaderId.Subject, "CR de l'AG");
            fixture.InnerBody = Bytes(body);
            fixture.Valid = Bytes(fixture.SignAndEncrypt(body));
            using (var context = new ListPgpContext(TimeProvider.System))
            {
                var encrypted = context.EncryptToKeys(new TextPart("plain") { Text = "pas signé" }, fixture._listEncryptionKeys);
                fixture.Unsigned = Bytes(new MimeMessage([new MailboxAddress(null, "ed25519@example.org")], [fixture._list.Mailbox], "...", encrypted));
            }

            fixture.Plain = Bytes(new MimeMessage([new MailboxAddress(null, "ed25519@example.org")], [fixture._list.Mailbox], "CR", new TextPart("plain") { Text = "en clair" }));
            return fixture;
        }

        public MimeMessage SignAndEncrypt(MimeEntity body)
        {
            var secret = TestKeys.FixtureSecret("ed25519");
            using var context = new ListPgpContext(TimeProvider.System, secret);
            var encrypted = MultipartEncrypted.SignAndEncrypt(context, ListPgpContext.SigningKeyOf(secret), DigestAlgorithm.Sha256, _listEncryptionKeys, body);
            return new MimeMessage([new MailboxAddress(null, "ed25519@example.org")], [_list.Mailbox], "...", encrypted);
        }

        public MailInVerdict Read(MimeMessage message) => _reader.Read(message, _list, ListSecret, _members);

        private static byte[] Bytes(MimeEntity entity)
        {
            using var buffer = new MemoryStream();
            entity.WriteTo(buffer);
            return buffer.ToArray();
        }

        private static byte[] Bytes(MimeMessage message)
        {
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            return buffer.ToArray();
        }
    }
}
