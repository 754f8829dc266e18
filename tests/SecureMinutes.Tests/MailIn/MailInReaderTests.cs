using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.MailIn;

/// <summary>
/// Which mails become minutes: only PGP/MIME encrypted to the list key and signed by a note-taker's pinned
/// key. Real keys and real MimeKit messages, as Thunderbird builds them.
/// </summary>
public sealed class MailInReaderTests
{
    private static readonly PgpSecretKeyRing ListSecret = TestKeys.DemoSecret("list");
    private static readonly PgpPublicKeyRing ListPublic = ListKeyGenerator.PublicRing(ListSecret);
    private static readonly MailingList List = new(1, "ag", "ag@lists.example.test", "AG", Fingerprint.Of(ListPublic.GetPublicKey()), ListPublic.GetEncoded(), DateTimeOffset.UtcNow);

    private readonly Member _noteTaker = MemberOf(1, "ed25519@example.org", "ed25519", noteTaker: true);
    private readonly Member _other = MemberOf(2, "rsa3072@example.org", "rsa3072", noteTaker: false);
    private readonly MailInReader _reader = new(new IntakeLimits(), TimeProvider.System);

    [Fact]
    public void Read_AcceptsANoteTakersSignedEncryptedMail_WithItsProtectedSubjectTextAndAttachment()
    {
        var body = new Multipart("mixed") { Text("Décisions de l'AG ✊\nPoint 2 : voté.\n"), Attachment("votes.pdf", [1, 2, 3]) };
        body.Headers.Add(HeaderId.Subject, "CR de l'AG du 21");
        var mail = SignedAndEncrypted("ed25519", body, outerSubject: "...");

        var verdict = Read(mail);

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal("CR de l'AG du 21", verdict.Minutes!.Subject);
        Assert.Equal("Décisions de l'AG ✊\nPoint 2 : voté.\n", verdict.Minutes.Text);
        var attachment = Assert.Single(verdict.Minutes.Attachments);
        Assert.Equal("votes.pdf", attachment.FileName);
        Assert.Equal([1, 2, 3], attachment.Content);
        Assert.StartsWith("signed:", verdict.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesPlaintextMail_AndAnswersOnlyAKnownSender()
    {
        var fromMember = new MimeMessage([new MailboxAddress(null, _other.Email)], [List.Mailbox], "CR", Text("en clair"));
        var fromStranger = new MimeMessage([new MailboxAddress(null, "stranger@example.net")], [List.Mailbox], "CR", Text("en clair"));

        var member = Read(fromMember);
        var stranger = Read(fromStranger);

        Assert.Equal(MailInRefusal.NotEncrypted, member.Refusal);
        Assert.Equal(_other.Id, member.ReplyTo?.Id);
        Assert.Equal(MailInRefusal.NotEncrypted, stranger.Refusal);
        Assert.Null(stranger.ReplyTo);
    }

    [Fact]
    public void Read_RefusesEncryptedButUnsignedMail()
    {
        using var context = new ListPgpContext(TimeProvider.System);
        var encrypted = context.EncryptToKeys(Text("pas signé"), KeyAssessor.Assess(ListPublic, DateTimeOffset.UtcNow).EncryptionKeys);
        var mail = new MimeMessage([new MailboxAddress(null, _noteTaker.Email)], [List.Mailbox], "...", encrypted);

        var verdict = Read(mail);

        Assert.Equal(MailInRefusal.NotSigned, verdict.Refusal);
        Assert.Equal(_noteTaker.Id, verdict.ReplyTo?.Id);
    }

    [Fact]
    public void Read_RefusesMailSignedByAMemberWhoIsNotANoteTaker_AnsweringThatMember()
    {
        var mail = SignedAndEncrypted("rsa3072", Text("je ne prends pas de notes"), fromAddress: "someone@example.net");

        var verdict = Read(mail);

        Assert.Equal(MailInRefusal.NotNoteTaker, verdict.Refusal);
        Assert.Equal(_other.Id, verdict.ReplyTo?.Id);
        Assert.Contains("--note-taker", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesMailSignedByAnUnknownKey_EvenWithANoteTakersAddress()
    {
        var mail = SignedAndEncrypted("sq-cv25519", Text("usurpation"), fromAddress: _noteTaker.Email);

        var verdict = Read(mail);

        Assert.Equal(MailInRefusal.UnknownSigner, verdict.Refusal);
        Assert.False(verdict.Accepted);
    }

    [Fact]
    public void Read_RefusesMailEncryptedToAnotherKey()
    {
        using var context = new ListPgpContext(TimeProvider.System, TestKeys.FixtureSecret("ed25519"));
        var encrypted = MultipartEncrypted.SignAndEncrypt(context, ListPgpContext.SigningKeyOf(TestKeys.FixtureSecret("ed25519")), DigestAlgorithm.Sha256,
            KeyAssessor.Assess(TestKeys.Fixture("rsa3072"), DateTimeOffset.UtcNow).EncryptionKeys, Text("pas pour la liste"));
        var mail = new MimeMessage([new MailboxAddress(null, _noteTaker.Email)], [List.Mailbox], "...", encrypted);

        var verdict = Read(mail);

        Assert.Equal(MailInRefusal.NotDecryptable, verdict.Refusal);
    }

    [Fact]
    public void Read_GivesTheSameKey_ToTheSameMailFetchedTwice()
    {
        var mail = SignedAndEncrypted("ed25519", Text("une fois"));
        using var wire = new MemoryStream();
        mail.WriteTo(wire);
        wire.Position = 0;

        Assert.Equal(Read(mail).Key, Read(MimeMessage.Load(wire)).Key);
    }

    private MailInVerdict Read(MimeMessage message) => _reader.Read(message, List, ListSecret, [_noteTaker, _other]);

    private static MimeMessage SignedAndEncrypted(string signerKey, MimeEntity body, string outerSubject = "...", string? fromAddress = null)
    {
        var secret = TestKeys.FixtureSecret(signerKey);
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var encrypted = MultipartEncrypted.SignAndEncrypt(context, ListPgpContext.SigningKeyOf(secret), DigestAlgorithm.Sha256,
            KeyAssessor.Assess(ListPublic, DateTimeOffset.UtcNow).EncryptionKeys, body);
        return new MimeMessage([new MailboxAddress(null, fromAddress ?? signerKey + "@example.org")], [List.Mailbox], outerSubject, encrypted);
    }

    private static TextPart Text(string text) => new("plain") { Text = text };

    private static MimePart Attachment(string name, byte[] content) => new("application", "pdf")
    {
        Content = new MimeContent(new MemoryStream(content)),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name },
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static Member MemberOf(long id, string email, string fixture, bool noteTaker)
    {
        var ring = TestKeys.Fixture(fixture);
        return new Member(id, 1, email, Fingerprint.Of(ring.GetPublicKey()), ring.GetEncoded(), null, false, DateTimeOffset.UtcNow) { IsNoteTaker = noteTaker };
    }
}
