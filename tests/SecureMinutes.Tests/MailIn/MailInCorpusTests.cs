using System.Security.Cryptography;
using MimeKit;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.MailIn;

/// <summary>
/// The mail-in corpus (tests/fixtures/mail-in, made by make-corpus.py with gpg in the layouts of Thunderbird,
/// Enigmail, K-9/OpenKeychain, Delta Chat, NeoMutt, RFC 9788 senders, Exchange's damage and Mailvelope):
/// each mail becomes exactly the note-taker's text and attachments, or is refused with the reason cases.tsv gives.
/// </summary>
public sealed class MailInCorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "mail-in");
    private static readonly PgpSecretKeyRing ListSecret = TestKeys.DemoSecret("list");
    private static readonly PgpPublicKeyRing ListPublic = ListKeyGenerator.PublicRing(ListSecret);
    private static readonly MailingList List = new(1, "ag", "ag@lists.example.test", "AG", Fingerprint.Of(ListPublic.GetPublicKey()), ListPublic.GetEncoded(), DateTimeOffset.UtcNow);
    private static readonly Member NoteTaker = new(1, 1, "ed25519@example.org", Fingerprint.Of(TestKeys.Fixture("ed25519").GetPublicKey()),
        TestKeys.Fixture("ed25519").GetEncoded(), null, false, DateTimeOffset.UtcNow) { IsNoteTaker = true };

    public static TheoryData<string> Mails()
    {
        var data = new TheoryData<string>();
        foreach (var row in Rows())
        {
            data.Add(row[0]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Mails))]
    public void Read_TakesEachClientsLayout_AsTheCorpusTableSays(string mail)
    {
        var row = Rows().Single(r => r[0] == mail);
        var (outcome, subject, textFile, attachments, reason) = (row[2], row[3], row[4], row[5], row[6]);
        var message = MimeMessage.Load(Path.Combine(CorpusDirectory, mail));

        var verdict = new MailInReader(new IntakeLimits(), TimeProvider.System).Read(message, List, ListSecret, [NoteTaker]);

        Assert.True(outcome == verdict.OutcomeText, $"{mail}: {verdict.OutcomeText} ({verdict.Reason})");
        if (!verdict.Accepted)
        {
            Assert.StartsWith(reason, verdict.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', verdict.Reason);
            Assert.Equal(NoteTaker.Id, verdict.ReplyTo?.Id);
            return;
        }

        Assert.Equal(subject, verdict.Minutes!.Subject);
        Assert.Equal(File.ReadAllText(Path.Combine(CorpusDirectory, textFile)), verdict.Minutes.Text);
        var expected = attachments == "-" ? [] : attachments.Split(',');
        Assert.Equal(expected, verdict.Minutes.Attachments.Select(a => a.FileName));
        foreach (var attachment in verdict.Minutes.Attachments)
        {
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(CorpusDirectory, attachment.FileName))), SHA256.HashData(attachment.Content));
        }
    }

    [Fact]
    public void Read_KeepsALegacyDisplayLookalike_ThatHoldsTheSendersText()
    {
        var root = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "Ceci n'est pas un en-tête.\nC'est le compte-rendu.\n", ContentType = { Parameters = { { "protected-headers", "v1" } } } },
            new TextPart("plain") { Text = "Suite.\n" },
        };

        var minutes = MailInContentOf(root);

        Assert.Equal("Ceci n'est pas un en-tête.\nC'est le compte-rendu.\n\nSuite.\n", minutes.Text);
    }

    private static MinutesDocument MailInContentOf(MimeEntity root) =>
        MailInContent.Read(root, "...", new IntakeLimits(), DateTimeOffset.UtcNow);

    private static IEnumerable<string[]> Rows() =>
        File.ReadLines(Path.Combine(CorpusDirectory, "cases.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'));
}
