using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Mail;

/// <summary>Copies that end with their member's own footer (personal links): each still one signed whole for its reader.</summary>
public partial class MinutesMessageFactoryTests
{
    private const string FooterText = "Mettre à jour votre clé ou quitter la liste : https://minutes.example.test/member/TOKEN-";

    [Theory]
    [InlineData(20)]
    [InlineData(700)]
    [InlineData(60_000)]
    public void FooterCopies_AreSignedWholeForEachMember_WithTheirOwnFooterAfterTheMinutes(int minutesLength)
    {
        var text = string.Concat(Enumerable.Range(0, minutesLength / 10 + 1).Select(i => $"ligne {i,3}\n"))[..minutesLength];
        var payload = MinutesPayload.FromDocument(new MinutesDocument(RealSubject, text));
        using var context = new ListPgpContext(TimeProvider.System, ListSecret);
        var prepared = new MinutesMessageFactory(TimeProvider.System).PrepareWithFooters(context, List, payload, MimeUtils.GenerateMessageId(List.Domain));
        var signer = new TextSignature(context.GetSigningKey(List.Mailbox));

        foreach (var (member, token) in new[] { ("ed25519", "a1"), ("rsa3072", "b22é") })
        {
            var ring = TestKeys.Fixture(member);
            var message = prepared.CreateFor(new MailboxAddress(null, $"{member}@example.org"),
                KeyAssessor.Assess(ring, DateTimeOffset.UtcNow).EncryptionKeys.Select(RecipientKey.For).ToList(), FooterText + token, signer);
            var mail = Reparse(message);
            var opened = Decrypt(mail, TestKeys.FixtureSecret(member));
            var signed = Assert.IsType<MultipartSigned>(opened.Entity);
            var inner = Assert.IsType<Multipart>(signed[0]);

            Assert.Equal(text, TextOf(opened).ReplaceLineEndings("\n"));
            Assert.Equal(FooterText + token, Assert.IsType<TextPart>(inner[^1]).Text);
            Assert.Equal(2, inner.Count);
            Assert.Equal(RealSubject, inner.Headers[HeaderId.Subject]);
            var signedBytes = SignedPartBytes(opened.Plaintext, signed.ContentType.Boundary ?? throw new InvalidDataException("no boundary"));
            Assert.True(Verifies(SignatureOf(signed), TestKeys.Demo("list").GetPublicKey(), signedBytes));
        }
    }

    [Fact]
    public void FooterCopies_CannotBeMadeWithoutAFooter_NorFooterlessMinutesWithOne()
    {
        using var context = new ListPgpContext(TimeProvider.System, ListSecret);
        var factory = new MinutesMessageFactory(TimeProvider.System);
        var withFooters = factory.PrepareWithFooters(context, List, _payload, MimeUtils.GenerateMessageId(List.Domain));
        var without = factory.Prepare(context, List, _payload, MimeUtils.GenerateMessageId(List.Domain));
        var keys = KeyAssessor.Assess(TestKeys.Fixture("ed25519"), DateTimeOffset.UtcNow).EncryptionKeys.Select(RecipientKey.For).ToList();
        var to = new MailboxAddress(null, "ed25519@example.org");

        Assert.Throws<InvalidOperationException>(() => withFooters.CreateFor(to, keys));
        Assert.Throws<InvalidOperationException>(() => without.CreateFor(to, keys, "footer", new TextSignature(context.GetSigningKey(List.Mailbox))));
    }

    private static Mail Reparse(MimeMessage message)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        message.WriteTo(format, buffer);
        var raw = buffer.ToArray();
        Assert.True(raw.All(b => b < 128), Encoding.ASCII.GetString(raw[..20]));
        return new Mail(raw, MimeMessage.Load(new MemoryStream(raw)));
    }
}
