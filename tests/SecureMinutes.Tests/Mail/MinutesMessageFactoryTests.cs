using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Mail;

/// <summary>
/// The mail a member receives, taken apart the way an independent client would: parsed from its wire bytes,
/// decrypted with plain BouncyCastle and the member's secret key only, its signature checked over the raw
/// signed bytes.
/// </summary>
public partial class MinutesMessageFactoryTests
{
    private const string MinutesText = "texte unique ✊ token-123";
    private const string RealSubject = "Sujet é";
    private const string ListAddress = "ag-demo@lists.example.test";

    private static readonly PgpSecretKeyRing ListSecret = TestKeys.DemoSecret("list");
    private static readonly PgpPublicKeyRing ListPublic = ListKeyGenerator.PublicRing(ListSecret);
    private static readonly MailingList List = new(1, "ag-demo", ListAddress, "AG démo SecureMinutes",
        Fingerprint.Of(ListPublic.GetPublicKey()), ListPublic.GetEncoded(), DateTimeOffset.UtcNow);

    private static readonly string[] ExpectedOuterFields =
        ["AUTOCRYPT", "CONTENT-TYPE", "DATE", "FROM", "MESSAGE-ID", "MIME-VERSION", "SUBJECT", "TO"];

    private readonly MinutesPayload _payload = MinutesPayload.FromDocument(new MinutesDocument(RealSubject, MinutesText));

    // ---- the outer message: what every server on the way sees ----

    [Fact]
    public void OuterHeaders_NameOnlyTheListAndThisMember_UnderAPlaceholderSubject()
    {
        var mail = Send("ed25519");

        var from = Assert.Single(mail.Message.From.Mailboxes);
        Assert.Equal(ListAddress, from.Address);
        Assert.Equal("AG démo SecureMinutes", from.Name);
        Assert.Equal("ed25519@example.org", Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.Empty(mail.Message.Cc);
        Assert.Empty(mail.Message.Bcc);
        Assert.Empty(mail.Message.ReplyTo);
        Assert.Equal("[...]", mail.Message.Subject);
        Assert.EndsWith("@lists.example.test", mail.Message.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void OuterHeaders_AreOnlyTheNecessaryOnes_WithNoUserAgentOrMailer()
    {
        var mail = Send("ed25519");

        // Read from the wire: a parsed MimeMessage moves the Content-* headers to its body.
        var headerBlock = Encoding.ASCII.GetString(mail.Raw).Split("\r\n\r\n", 2)[0];
        var fields = headerBlock.Split("\r\n")
            .Where(line => line.Length > 0 && !char.IsWhiteSpace(line[0]))
            .Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)].ToUpperInvariant())
            .ToList();
        Assert.DoesNotContain("USER-AGENT", fields);
        Assert.DoesNotContain("X-MAILER", fields);
        Assert.Equal(fields.Distinct().Count(), fields.Count);
        Assert.Equal(ExpectedOuterFields, fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WireForm_IsSevenBitAscii_AndLeaksNeitherTheTextNorTheSubject()
    {
        var mail = Send("ed25519");

        Assert.DoesNotContain(mail.Raw, b => b >= 0x80);
        var raw = Encoding.ASCII.GetString(mail.Raw);
        Assert.DoesNotContain("token-123", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Sujet", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void AutocryptHeader_CarriesTheListPublicKey()
    {
        var mail = Send("ed25519");

        var header = Assert.Single(mail.Message.Headers, h => h.Field == "Autocrypt");
        var attributes = header.Value.Split(';')
            .Select(a => a.Split('=', 2))
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1], StringComparer.Ordinal);
        Assert.Equal(ListAddress, attributes["addr"].Trim());
        Assert.Equal("mutual", attributes["prefer-encrypt"].Trim());
        var keyData = Convert.FromBase64String(string.Concat(attributes["keydata"].Where(c => !char.IsWhiteSpace(c))));
        Assert.Equal(List.PublicKey, keyData);
        Assert.Equal(List.KeyFingerprint, Fingerprint.Of(new PgpPublicKeyRing(keyData).GetPublicKey()));
        Assert.Equal(TestKeys.Demo("list").GetPublicKey().GetFingerprint(), new PgpPublicKeyRing(keyData).GetPublicKey().GetFingerprint());
    }

    [Fact]
    public void Body_IsRfc3156MultipartEncrypted_WithTwoSevenBitParts()
    {
        var mail = Send("ed25519");

        var encrypted = Assert.IsType<MultipartEncrypted>(mail.Message.Body);
        Assert.Equal("application/pgp-encrypted", encrypted.ContentType.Parameters["protocol"]);
        Assert.Equal(2, encrypted.Count);
        var control = Assert.IsType<ApplicationPgpEncrypted>(encrypted[0]);
        var payload = Assert.IsType<MimePart>(encrypted[1], exactMatch: false);
        Assert.Equal("application/octet-stream", payload.ContentType.MimeType);
        Assert.Equal(ContentEncoding.SevenBit, control.ContentTransferEncoding);
        Assert.Equal(ContentEncoding.SevenBit, payload.ContentTransferEncoding);
        Assert.Equal("Version: 1", Decode(control).Trim());
        Assert.StartsWith("-----BEGIN PGP MESSAGE-----", Decode(payload), StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(Encoding.ASCII.GetString(mail.Raw), "Content-Transfer-Encoding: 7bit"));
    }

    // ---- the OpenPGP layer ----

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa3072")]
    [InlineData("sq-cv25519")]
    public void Ciphertext_IsForExactlyTheMembersEncryptionSubkey_AndDecryptsWithTheirSecretKeyAlone(string member)
    {
        var mail = Send(member);
        var expectedSubkey = Assert.Single(KeyAssessor.Assess(TestKeys.Fixture(member), DateTimeOffset.UtcNow).EncryptionKeys);

        var pkesk = Assert.Single(EncryptedSessionKeys(mail));
        Assert.Equal(expectedSubkey.KeyId, pkesk.KeyId);
        Assert.Equal(TestKeys.Expected(member).EncryptionSubkeys.Single(), Fingerprint.Of(expectedSubkey).Hex);

        var opened = Decrypt(mail, TestKeys.FixtureSecret(member));

        Assert.Equal(SymmetricKeyAlgorithmTag.Aes256, opened.Cipher);
        Assert.True(opened.IntegrityProtected);
        Assert.True(opened.IntegrityVerified);
        Assert.Equal(PgpLiteralData.Binary, opened.LiteralFormat);
        Assert.Equal(MinutesText, TextOf(opened));
    }

    [Fact]
    public void Packets_AreV3SessionKeysFollowedByOneIntegrityProtectedV1Packet()
    {
        // Read with our own packet walker, not BouncyCastle: PKESK v3 then SEIPD v1 (tag 18, MDC), nothing else.
        var binary = Dearmor(Send("ed25519"));

        var packets = Packets.Walk(binary);

        Assert.Equal([Packets.PublicKeyEncryptedSessionKey, Packets.SymmetricallyEncryptedIntegrityProtected], packets.Select(p => p.Tag));
        Assert.Equal(3, binary[packets[0].BodyStart]);
        Assert.Equal(1, binary[packets[1].BodyStart]);
    }

    [Fact]
    public void Ciphertext_CannotBeDecryptedWithAnotherMembersKey()
    {
        var mail = Send("ed25519");
        var pkesk = Assert.Single(EncryptedSessionKeys(mail));
        var other = TestKeys.FixtureSecret("twouid");

        Assert.Null(other.GetSecretKey(pkesk.KeyId));
        // And forcing it: the other member's Cv25519 key does not unwrap this session key.
        var otherEncryptionKey = other.GetSecretKeys().Single(k => !k.IsMasterKey).ExtractPrivateKey(null);
        var refused = Assert.ThrowsAny<Exception>(() => pkesk.GetDataStream(otherEncryptionKey).ReadByte());
        Assert.True(refused is PgpException or Org.BouncyCastle.Crypto.InvalidCipherTextException, refused.ToString());
        Assert.ThrowsAny<Exception>(() => Decrypt(mail, other));
    }

    [Fact]
    public void Ciphertext_IsFreshForEachMember_AndEachMessageNamesOnlyItsOwnMember()
    {
        var forEd25519 = Send("ed25519");
        var forRsa = Send("rsa3072");
        var forEd25519Again = Send("ed25519");

        Assert.NotEqual(Decode(forEd25519.Armored), Decode(forRsa.Armored));
        Assert.NotEqual(Decode(forEd25519.Armored), Decode(forEd25519Again.Armored));
        Assert.Equal(Assert.Single(KeyAssessor.Assess(TestKeys.Fixture("ed25519"), DateTimeOffset.UtcNow).EncryptionKeys).KeyId,
            Assert.Single(EncryptedSessionKeys(forEd25519)).KeyId);
        Assert.Equal(Assert.Single(KeyAssessor.Assess(TestKeys.Fixture("rsa3072"), DateTimeOffset.UtcNow).EncryptionKeys).KeyId,
            Assert.Single(EncryptedSessionKeys(forRsa)).KeyId);
        Assert.Equal(MinutesText, TextOf(Decrypt(forEd25519, TestKeys.FixtureSecret("ed25519"))));
        Assert.Equal(MinutesText, TextOf(Decrypt(forRsa, TestKeys.FixtureSecret("rsa3072"))));
    }

    [Fact]
    public void Ciphertext_IsForEveryValidSubkey_OfAMemberWithTwo_AndEitherOpensIt()
    {
        var mail = Send("twosub");

        var expected = TestKeys.Fixture("twosub").GetPublicKeys()
            .Where(k => TestKeys.Expected("twosub").EncryptionSubkeys.Contains(Fingerprint.Of(k).Hex))
            .Select(k => k.KeyId);
        Assert.Equal(expected.Order(), EncryptedSessionKeys(mail).Select(p => p.KeyId).Order());
        Assert.Equal(MinutesText, TextOf(Decrypt(mail, TestKeys.FixtureSecret("twosub"))));
    }

    // ---- inside the encryption: the signed entity with the protected headers ----

    [Fact]
    public void Plaintext_IsMultipartSigned_WithSha512_InCanonicalCrlf()
    {
        var opened = Decrypt(Send("ed25519"), TestKeys.FixtureSecret("ed25519"));

        var signed = Assert.IsType<MultipartSigned>(opened.Entity);
        Assert.Equal("pgp-sha512", signed.ContentType.Parameters["micalg"]);
        Assert.Equal("application/pgp-signature", signed.ContentType.Parameters["protocol"]);
        Assert.Equal(2, signed.Count);
        Assert.IsType<ApplicationPgpSignature>(signed[1]);
        for (var i = 0; i < opened.Plaintext.Length; i++)
        {
            Assert.True(opened.Plaintext[i] != '\n' || (i > 0 && opened.Plaintext[i - 1] == '\r'), $"bare LF at byte {i}");
        }
    }

    [Fact]
    public void SignedPart_CarriesTheProtectedHeaders_EveryMemberShares_AndNoMembersAddress()
    {
        // Issue 12: the signed part is the same for every member of a batch (signed once), so it names no member;
        // the member's address is on the outside only (and the copy is encrypted to that member alone).
        var mail = Send("ed25519");
        var signed = Assert.IsType<MultipartSigned>(Decrypt(mail, TestKeys.FixtureSecret("ed25519")).Entity);

        var inner = Assert.IsType<Multipart>(signed[0], exactMatch: false);
        Assert.Equal("multipart/mixed", inner.ContentType.MimeType);
        Assert.Equal("v1", inner.ContentType.Parameters["protected-headers"]);
        Assert.Equal("cipher", inner.ContentType.Parameters["hp"]);
        Assert.Equal(RealSubject, inner.Headers[HeaderId.Subject]);
        Assert.Equal(ListAddress, Assert.Single(InternetAddressList.Parse(HeaderOf(inner, HeaderId.From)).Mailboxes).Address);
        Assert.Equal($"<{mail.Message.MessageId}>", inner.Headers[HeaderId.MessageId]);
        Assert.Equal(mail.Message.Date, DateUtils.TryParse(inner.Headers[HeaderId.Date], out var date) ? date : default);
        Assert.DoesNotContain(inner.Headers, h => h.Id is HeaderId.To or HeaderId.Cc or HeaderId.Bcc);
        Assert.Equal("ed25519@example.org", Assert.Single(mail.Message.To.Mailboxes).Address);

        var hpOuter = inner.Headers.Where(h => h.Field == "HP-Outer").Select(h => h.Value.Trim()).ToList();
        Assert.Contains("Subject: [...]", hpOuter);
        Assert.Contains(hpOuter, v => v.StartsWith("From: ", StringComparison.Ordinal) && v.Contains(ListAddress, StringComparison.Ordinal));
        Assert.DoesNotContain(hpOuter, v => v.Contains("ed25519@example.org", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(hpOuter, v => v.StartsWith("Date: ", StringComparison.Ordinal));
        Assert.Contains(hpOuter, v => string.Equals(v, $"Message-ID: <{mail.Message.MessageId}>", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TextPart_DecodesToExactlyTheMinutes()
    {
        var signed = Assert.IsType<MultipartSigned>(Decrypt(Send("ed25519"), TestKeys.FixtureSecret("ed25519")).Entity);

        var inner = Assert.IsType<Multipart>(signed[0], exactMatch: false);
        var text = Assert.IsType<TextPart>(Assert.Single(inner));
        Assert.Equal("text/plain", text.ContentType.MimeType);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Equal(MinutesText, text.Text);
    }

    [Fact]
    public void Signature_VerifiesOverTheCanonicalSignedBytes_WithTheListKey()
    {
        var mail = Send("ed25519");
        var opened = Decrypt(mail, TestKeys.FixtureSecret("ed25519"));
        var signed = Assert.IsType<MultipartSigned>(opened.Entity);
        var signedBytes = SignedPartBytes(opened.Plaintext, signed.ContentType.Boundary ?? throw new InvalidDataException("no boundary"));
        var signature = SignatureOf(signed);
        var listKey = TestKeys.Demo("list").GetPublicKey();

        Assert.Equal(listKey.KeyId, signature.KeyId);
        Assert.True(Verifies(signature, listKey, signedBytes));
        Assert.Equal(PgpSignature.CanonicalTextDocument, signature.SignatureType);
        Assert.Equal(HashAlgorithmTag.Sha512, signature.HashAlgorithm);
        Assert.Equal(listKey.GetFingerprint(), signature.GetHashedSubPackets().GetIssuerFingerprint()?.GetFingerprint());
        Assert.InRange(signature.CreationTime, mail.Message.Date.UtcDateTime.AddMinutes(-1), mail.Message.Date.UtcDateTime.AddMinutes(1));

        // Not vacuous: the same signature fails once the protected subject is changed.
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signedBytes).Replace("Subject: ", "Subject: X", StringComparison.Ordinal));
        Assert.False(Verifies(signature, listKey, tampered));
        // And it is the list's key that made it, not any key.
        Assert.False(Verifies(signature, TestKeys.Fixture("ed25519").GetPublicKey(), signedBytes));
    }

    [Fact]
    public void MultiLineMinutes_SurviveExactly_AndTheSignedPartHasNoTrailingWhitespace()
    {
        // RFC 3156 §5: no trailing whitespace after MIME encoding; long lines and "From " lines stay intact.
        const string text = "# Assemblée générale   \nFrom the chair: quorum atteint.\n.\n"
            + "Une ligne très longue qui dépasse largement les soixante-dix-huit caractères d'une ligne de courrier électronique ordinaire.\n"
            + "\tfin \n";
        var payload = MinutesPayload.FromDocument(new MinutesDocument(RealSubject, text));
        var mail = Send("ed25519", payload);
        var opened = Decrypt(mail, TestKeys.FixtureSecret("ed25519"));
        var signed = Assert.IsType<MultipartSigned>(opened.Entity);
        var signedBytes = SignedPartBytes(opened.Plaintext, signed.ContentType.Boundary ?? throw new InvalidDataException("no boundary"));

        Assert.Equal(text, TextOf(opened).ReplaceLineEndings("\n"));
        Assert.True(Verifies(SignatureOf(signed), TestKeys.Demo("list").GetPublicKey(), signedBytes));
        Assert.DoesNotContain(Encoding.ASCII.GetString(signedBytes).Split("\r\n"), line => line.EndsWith(' ') || line.EndsWith('\t'));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("fixture")]
    [InlineData("generated")]
    public void Signature_VerifiesWithTheListKey_WhereverTheListKeyCameFrom(string origin)
    {
        var secret = origin switch
        {
            "demo" => TestKeys.DemoSecret("list"),
            "fixture" => TestKeys.FixtureSecret("list"),
            _ => ListKeyGenerator.Generate("AG généré <ag@lists.example.test>", DateTimeOffset.UtcNow),
        };
        var publicRing = ListKeyGenerator.PublicRing(secret);
        var address = UserIdAddress.Of(Encoding.UTF8.GetString(publicRing.GetPublicKey().GetRawUserIds().First()))!;
        var list = new MailingList(2, "other", address, "Other", Fingerprint.Of(publicRing.GetPublicKey()), publicRing.GetEncoded(), DateTimeOffset.UtcNow);

        var mail = Send("ed25519", _payload, list, secret);

        var opened = Decrypt(mail, TestKeys.FixtureSecret("ed25519"));
        var signed = Assert.IsType<MultipartSigned>(opened.Entity);
        var signature = SignatureOf(signed);
        Assert.Equal(publicRing.GetPublicKey().KeyId, signature.KeyId);
        Assert.True(Verifies(signature, publicRing.GetPublicKey(),
            SignedPartBytes(opened.Plaintext, signed.ContentType.Boundary ?? throw new InvalidDataException("no boundary"))));
        Assert.Equal(address, Assert.Single(mail.Message.From.Mailboxes).Address);
    }

    [Fact]
    public void Signature_IsTheOnlyOne()
    {
        var signed = Assert.IsType<MultipartSigned>(Decrypt(Send("ed25519"), TestKeys.FixtureSecret("ed25519")).Entity);

        var armored = Decode((MimePart)signed[1]);
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armored)));
        var list = Assert.IsType<PgpSignatureList>(new PgpObjectFactory(decoder).NextPgpObject());
        Assert.Equal(1, list.Count);
    }

    [Fact]
    public void SamePayload_CanBeSentToManyMembers_EachAddressedAndEncryptedToThemAlone()
    {
        var first = Send("ed25519");
        var second = Send("rsa3072");

        Assert.Equal("ed25519@example.org", Assert.Single(first.Message.To.Mailboxes).Address);
        Assert.Equal("rsa3072@example.org", Assert.Single(second.Message.To.Mailboxes).Address);
        Assert.ThrowsAny<Exception>(() => Decrypt(first, TestKeys.FixtureSecret("rsa3072")));
        Assert.ThrowsAny<Exception>(() => Decrypt(second, TestKeys.FixtureSecret("ed25519")));
        var firstInner = (Multipart)((MultipartSigned)Decrypt(first, TestKeys.FixtureSecret("ed25519")).Entity)[0];
        var secondInner = (Multipart)((MultipartSigned)Decrypt(second, TestKeys.FixtureSecret("rsa3072")).Entity)[0];
        Assert.Equal(MinutesText, ((TextPart)firstInner[0]).Text);
        Assert.Equal(MinutesText, ((TextPart)secondInner[0]).Text);
    }

    // ---- helpers: an independent reader ----

    private sealed record Mail(byte[] Raw, MimeMessage Message)
    {
        public MimePart Armored => (MimePart)((MultipartEncrypted)Message.Body!)[1];
    }

    private sealed record Opened(byte[] Plaintext, MimeEntity Entity, SymmetricKeyAlgorithmTag Cipher, bool IntegrityProtected,
        bool IntegrityVerified, char LiteralFormat);

    private Mail Send(string member) => Send(member, _payload);

    private static Mail Send(string member, MinutesPayload payload) => Send(member, payload, List, ListSecret);

    private static Mail Send(string member, MinutesPayload payload, MailingList list, PgpSecretKeyRing listSecret)
    {
        var ring = TestKeys.Fixture(member);
        var address = UserIdAddress.Of(Encoding.UTF8.GetString(ring.GetPublicKey().GetRawUserIds().First()))!;
        var keys = KeyAssessor.Assess(ring, DateTimeOffset.UtcNow).EncryptionKeys;
        using var context = new ListPgpContext(TimeProvider.System, listSecret);

        var message = new MinutesMessageFactory(TimeProvider.System)
            .Create(context, list, payload, MimeUtils.GenerateMessageId(list.Domain), new MailboxAddress(null, address), keys);

        // What goes on the wire (as the outbox and the SMTP client write it), then parsed back.
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        message.WriteTo(format, buffer);
        var raw = buffer.ToArray();
        return new Mail(raw, MimeMessage.Load(new MemoryStream(raw)));
    }

    private static string Decode(MimePart part)
    {
        using var buffer = new MemoryStream();
        Assert.NotNull(part.Content);
        part.Content.DecodeTo(buffer);
        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    private static byte[] Dearmor(Mail mail)
    {
        using var armored = new ArmoredInputStream(new MemoryStream(Encoding.ASCII.GetBytes(Decode(mail.Armored))));
        using var binary = new MemoryStream();
        armored.CopyTo(binary);
        return binary.ToArray();
    }

    private static List<PgpPublicKeyEncryptedData> EncryptedSessionKeys(Mail mail)
    {
        var factory = new PgpObjectFactory(Dearmor(mail));
        var item = factory.NextPgpObject();
        while (item is PgpMarker)
        {
            item = factory.NextPgpObject();
        }

        var list = Assert.IsType<PgpEncryptedDataList>(item);
        return list.GetEncryptedDataObjects().Select(Assert.IsType<PgpPublicKeyEncryptedData>).ToList();
    }

    /// <summary>Decrypts with the secret keys of <paramref name="secretRing"/> only.</summary>
    private static Opened Decrypt(Mail mail, PgpSecretKeyRing secretRing)
    {
        var pkesk = EncryptedSessionKeys(mail).FirstOrDefault(p => secretRing.GetSecretKey(p.KeyId) is not null)
            ?? throw new PgpException("none of the session keys is for this secret key ring");
        var privateKey = secretRing.GetSecretKey(pkesk.KeyId)!.ExtractPrivateKey(null);
        var cipher = pkesk.GetSymmetricAlgorithm(privateKey);

        using var clear = pkesk.GetDataStream(privateKey);
        var factory = new PgpObjectFactory(clear);
        var item = factory.NextPgpObject();
        if (item is PgpCompressedData compressed)
        {
            factory = new PgpObjectFactory(compressed.GetDataStream());
            item = factory.NextPgpObject();
        }

        var literal = Assert.IsType<PgpLiteralData>(item);
        using var plaintext = new MemoryStream();
        literal.GetDataStream().CopyTo(plaintext);
        Assert.Null(factory.NextPgpObject());
        var bytes = plaintext.ToArray();
        return new Opened(bytes, MimeEntity.Load(new MemoryStream(bytes)), cipher, pkesk.IsIntegrityProtected(), pkesk.Verify(),
            (char)literal.Format);
    }

    private static string HeaderOf(MimeEntity entity, HeaderId id) =>
        entity.Headers[id] ?? throw new InvalidDataException($"no {id} header");

    private static string TextOf(Opened opened) =>
        ((TextPart)((Multipart)((MultipartSigned)opened.Entity)[0])[0]).Text;

    /// <summary>The first body part of a multipart, cut from the raw bytes as RFC 1847/3156 define what is signed.</summary>
    private static byte[] SignedPartBytes(byte[] plaintext, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary + "\r\n");
        var start = plaintext.AsSpan().IndexOf(delimiter);
        Assert.True(start >= 0, "no first boundary");
        start += delimiter.Length;
        var end = plaintext.AsSpan(start).IndexOf(Encoding.ASCII.GetBytes("\r\n--" + boundary));
        Assert.True(end >= 0, "no second boundary");
        return plaintext.AsSpan(start, end).ToArray();
    }

    private static PgpSignature SignatureOf(MultipartSigned signed)
    {
        var armored = Decode((MimePart)signed[1]);
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armored)));
        var list = Assert.IsType<PgpSignatureList>(new PgpObjectFactory(decoder).NextPgpObject());
        return list[0];
    }

    private static bool Verifies(PgpSignature signature, PgpPublicKey key, byte[] data)
    {
        try
        {
            signature.InitVerify(key);
            signature.Update(data);
            return signature.Verify();
        }
        catch (PgpException)
        {
            return false;
        }
    }
}
