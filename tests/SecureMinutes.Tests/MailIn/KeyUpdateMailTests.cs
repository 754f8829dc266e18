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
/// Which signed mails to the list are a member's key update (<see cref="KeyUpdateMail"/>) rather than minutes, and how the
/// reader binds such a request to its signer, its From address and its signature's time. Real keys, real MimeKit mails.
/// </summary>
public sealed class KeyUpdateMailTests
{
    private static readonly PgpSecretKeyRing ListSecret = TestKeys.DemoSecret("list");
    private static readonly PgpPublicKeyRing ListPublic = ListKeyGenerator.PublicRing(ListSecret);
    private static readonly MailingList List = new(1, "ag", "ag@lists.example.test", "AG", Fingerprint.Of(ListPublic.GetPublicKey()), ListPublic.GetEncoded(), DateTimeOffset.UtcNow);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly Member _noteTaker = MemberOf(1, "ed25519@example.org", "ed25519", noteTaker: true);
    private readonly Member _other = MemberOf(2, "rsa3072@example.org", "rsa3072", noteTaker: false);
    private readonly byte[] _newKey = TestKeyBuilder.Create("Rsa <rsa3072@example.org>", Now).WithCv25519Subkey().Build().GetEncoded();

    [Fact]
    public void Find_TakesAMembersMailCarryingANewKey_WhateverItsText_WhenItCannotBeMinutes()
    {
        var mail = new Multipart("mixed") { Text("Bonjour, voici ma nouvelle clé.\nCamille\n"), KeyPart(_newKey, "OpenPGP_0x1234.asc") };

        var request = KeyUpdateMail.Find(mail, _other, couldBeMinutes: false, Now);

        Assert.NotNull(request);
        Assert.Null(request.Problem);
        Assert.Equal(_newKey, request.KeyData);
        Assert.Equal("OpenPGP_0x1234.asc", request.SourceName);
    }

    [Fact]
    public void Find_LeavesANoteTakersMinutesWithAKeyAttached_AsMinutes()
    {
        var withText = new Multipart("mixed") { Text("Compte-rendu de l'AG.\nPoint 1 : voté.\n"), KeyPart(_newKey, "nouvelle-cle.asc") };
        var withDocument = new Multipart("mixed") { Text(""), Attachment("cr.pdf"), KeyPart(_newKey, "nouvelle-cle.asc") };

        Assert.Null(KeyUpdateMail.Find(withText, _noteTaker, couldBeMinutes: true, Now));
        Assert.Null(KeyUpdateMail.Find(withDocument, _noteTaker, couldBeMinutes: true, Now));
    }

    [Fact]
    public void Find_TakesANoteTakersMailHoldingOnlyANewKeyAndAMailSignature_AsAKeyUpdate()
    {
        var mail = new Multipart("mixed") { Text("\n\n-- \nCamille Martin\nCollectif\n"), KeyPart(_newKey, "cle.asc") };

        Assert.NotNull(KeyUpdateMail.Find(mail, _noteTaker with { Fingerprint = _other.Fingerprint, PublicKey = _other.PublicKey }, couldBeMinutes: true, Now));
    }

    [Fact]
    public void Find_PassesOverThePlainCopyOfTheSignersOwnKeyThatClientsAttach_AndTakesTheNewOne()
    {
        var ownOnly = new Multipart("mixed") { Text("Rien à voir."), KeyPart(_other.PublicKey, "OpenPGP_0xOLD.asc") };
        var both = new Multipart("mixed") { Text(""), KeyPart(_other.PublicKey, "OpenPGP_0xOLD.asc"), KeyPart(_newKey, "nouvelle.asc") };

        Assert.Null(KeyUpdateMail.Find(ownOnly, _other, couldBeMinutes: false, Now));
        Assert.Equal(_newKey, KeyUpdateMail.Find(both, _other, couldBeMinutes: false, Now)?.KeyData);
    }

    [Fact]
    public void Find_TakesACopyOfTheSignersKeyThatBringsANewSubkey_AsAKeyUpdate()
    {
        var renewed = TestKeyBuilder.Create("Rsa <rsa3072@example.org>", Now).WithCv25519Subkey().WithCv25519Subkey().Build();
        var pinned = PgpPublicKeyRing.RemovePublicKey(renewed, renewed.GetPublicKeys().Last());
        var signer = _other with { Fingerprint = Fingerprint.Of(renewed.GetPublicKey()), PublicKey = pinned.GetEncoded() };

        Assert.Null(KeyUpdateMail.Find(new Multipart("mixed") { KeyPart(pinned.GetEncoded(), "cle.asc") }, signer, couldBeMinutes: false, Now));
        Assert.NotNull(KeyUpdateMail.Find(new Multipart("mixed") { KeyPart(renewed.GetEncoded(), "cle.asc") }, signer, couldBeMinutes: false, Now));
    }

    [Fact]
    public void Find_ReadsAKeyFileSentAsAnOrdinaryAttachment_ButNotASignatureNamedAsc()
    {
        var asFile = new Multipart("mixed") { Attachment("ma-cle.asc", System.Text.Encoding.ASCII.GetBytes(Armor.PublicKey(_newKey))) };
        var signatureFile = new Multipart("mixed") { Attachment("cr.pdf.asc", "-----BEGIN PGP SIGNATURE-----\n\nwnUEARYKAB0WIQQ=\n-----END PGP SIGNATURE-----\n"u8.ToArray()) };

        Assert.Equal("ma-cle.asc", KeyUpdateMail.Find(asFile, _other, couldBeMinutes: false, Now)?.SourceName);
        Assert.Null(KeyUpdateMail.Find(signatureFile, _other, couldBeMinutes: false, Now));
    }

    [Fact]
    public void Find_DoesNotGuessBetweenTwoNewKeys()
    {
        var another = TestKeyBuilder.Create("Rsa <rsa3072@example.org>", Now).WithCv25519Subkey().Build().GetEncoded();
        var mail = new Multipart("mixed") { KeyPart(_newKey, "a.asc"), KeyPart(another, "b.asc") };

        var request = KeyUpdateMail.Find(mail, _other, couldBeMinutes: false, Now);

        Assert.Contains("2 new keys", request?.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TakesAMailOnlySignedByAMember_FromTheirAddress_WithANewKey_AsTheirKeyUpdate()
    {
        var verdict = Read(Signed("rsa3072", new Multipart("mixed") { Text("Nouvelle clé"), KeyPart(_newKey, "cle.asc") }));

        Assert.Equal("key-update", verdict.OutcomeText);
        Assert.Equal(_newKey, verdict.KeyUpdate?.KeyData);
        Assert.Equal(_other.Id, verdict.ReplyTo?.Id);
        Assert.StartsWith("keyupdate:", verdict.Key, StringComparison.Ordinal);
        Assert.InRange(verdict.KeyUpdate!.SignedAt, Now.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Read_TakesAnEncryptedSignedMailOfAMemberWhoIsNotANoteTaker_AsTheirKeyUpdate()
    {
        var verdict = Read(SignedAndEncrypted("rsa3072", new Multipart("mixed") { Text("Ma nouvelle clé"), KeyPart(_newKey, "cle.asc") }));

        Assert.Equal("key-update", verdict.OutcomeText);
        Assert.Equal(_other.Id, verdict.ReplyTo?.Id);
    }

    [Fact]
    public void Read_StillDistributesANoteTakersMinutes_WithTheirNewKeyAttached()
    {
        var newForNoteTaker = TestKeyBuilder.Create("Ed <ed25519@example.org>", Now).WithCv25519Subkey().Build().GetEncoded();

        var verdict = Read(SignedAndEncrypted("ed25519", new Multipart("mixed") { Text("CR : tout est voté.\n"), KeyPart(newForNoteTaker, "cle.asc") }));

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal("CR : tout est voté.\n", verdict.Minutes!.Text);
        Assert.Empty(verdict.Minutes.Attachments);
    }

    [Fact]
    public void Read_RefusesAKeyUpdateSignedByOneMembersKeyInAnothersName_AndTellsTheMemberNamed()
    {
        var verdict = Read(Signed("rsa3072", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") }, fromAddress: _noteTaker.Email));

        Assert.Equal(MailInRefusal.SignerNotSender, verdict.Refusal);
        Assert.True(verdict.AboutKeyUpdate);
        Assert.Null(verdict.KeyUpdate);
        Assert.Equal(_noteTaker.Id, verdict.ReplyTo?.Id); // encrypted to the key on file: the one who forged it learns nothing
    }

    [Fact]
    public void Read_RefusesASignedKeyMailFromAStranger_WithoutAnswer()
    {
        var verdict = Read(Signed("sq-cv25519", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") }, fromAddress: "stranger@example.net"));

        Assert.Equal(MailInRefusal.NotEncrypted, verdict.Refusal);
        Assert.Null(verdict.ReplyTo);
    }

    [Fact]
    public void Read_AnswersAMemberWhoseKeyMailIsUnsignedOrSignedByTheNewKey_InKeyUpdateWords()
    {
        var unsigned = new MimeMessage([new MailboxAddress(null, _other.Email)], [List.Mailbox], "Nouvelle clé", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") });
        var signedByAnother = Signed("sq-cv25519", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") }, fromAddress: _other.Email);

        var first = Read(unsigned);
        var second = Read(signedByAnother);

        Assert.Equal((MailInRefusal.NotSigned, true, _other.Id), (first.Refusal!.Value, first.AboutKeyUpdate, first.ReplyTo!.Id));
        Assert.Equal((MailInRefusal.UnknownSigner, true, _other.Id), (second.Refusal!.Value, second.AboutKeyUpdate, second.ReplyTo!.Id));
    }

    [Fact]
    public void Read_RefusesAKeyUpdateWhoseSignatureIsOverAWeekOld_ByItsSignatureTime()
    {
        var mail = Signed("rsa3072", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") });
        var later = new MailInReader(new IntakeLimits(), new TestClock(DateTimeOffset.UtcNow.AddDays(8)));

        var verdict = later.Read(mail, List, ListSecret, [_noteTaker, _other]);

        Assert.Equal(MailInRefusal.StaleSignature, verdict.Refusal);
        Assert.Equal(_other.Id, verdict.ReplyTo?.Id);
    }

    [Fact]
    public void Read_GivesAKeyUpdateTheSameKey_WhenTheSameMailComesTwice()
    {
        var mail = Signed("rsa3072", new Multipart("mixed") { KeyPart(_newKey, "cle.asc") });
        using var wire = new MemoryStream();
        mail.WriteTo(wire);
        wire.Position = 0;

        Assert.Equal(Read(mail).Key, Read(MimeMessage.Load(wire)).Key);
    }

    private MailInVerdict Read(MimeMessage message) => new MailInReader(new IntakeLimits(), TimeProvider.System).Read(message, List, ListSecret, [_noteTaker, _other]);

    private static MimeMessage Signed(string signerKey, MimeEntity body, string? fromAddress = null)
    {
        var secret = TestKeys.FixtureSecret(signerKey);
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var signed = MultipartSigned.Create(context, ListPgpContext.SigningKeyOf(secret), DigestAlgorithm.Sha256, body);
        return new MimeMessage([new MailboxAddress(null, fromAddress ?? signerKey + "@example.org")], [List.Mailbox], "Nouvelle clé", signed);
    }

    private static MimeMessage SignedAndEncrypted(string signerKey, MimeEntity body)
    {
        var secret = TestKeys.FixtureSecret(signerKey);
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var encrypted = MultipartEncrypted.SignAndEncrypt(context, ListPgpContext.SigningKeyOf(secret), DigestAlgorithm.Sha256,
            KeyAssessor.Assess(ListPublic, DateTimeOffset.UtcNow).EncryptionKeys, body);
        return new MimeMessage([new MailboxAddress(null, signerKey + "@example.org")], [List.Mailbox], "...", encrypted);
    }

    private static TextPart Text(string text) => new("plain") { Text = text };

    private static MimePart KeyPart(byte[] key, string name) => new("application", "pgp-keys")
    {
        Content = new MimeContent(new MemoryStream(key)),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name },
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static MimePart Attachment(string name, byte[]? content = null) => new("application", "octet-stream")
    {
        Content = new MimeContent(new MemoryStream(content ?? [1, 2, 3])),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name },
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static Member MemberOf(long id, string email, string fixture, bool noteTaker)
    {
        var ring = TestKeys.Fixture(fixture);
        return new Member(id, 1, email, Fingerprint.Of(ring.GetPublicKey()), ring.GetEncoded(), null, false, DateTimeOffset.UtcNow.AddDays(-30)) { IsNoteTaker = noteTaker };
    }
}
