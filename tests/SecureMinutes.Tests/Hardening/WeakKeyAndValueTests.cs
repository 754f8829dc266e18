using System.Text;
using Org.BouncyCastle.Bcpg;
using SecureMinutes.Keys;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kinds 3 and 5: values the program does not support are refused in one line (encodings, odd names); weak
/// or old keys are refused with the real reason; an address is one address in punycode and in Unicode.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class WeakKeyAndValueTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData("utf-7", "not supported")]
    [InlineData("unicode-1-1-utf-7", "not supported")]
    [InlineData("csUnicode11UTF7", "")]
    [InlineData("UTF7", "not an encoding this program knows")]
    [InlineData("65000", "not an encoding this program knows")]
    [InlineData("", "not an encoding this program knows")]
    [InlineData("latin1\0", "not an encoding this program knows")]
    [InlineData("\u001b[2J", "not an encoding this program knows")]
    public void DeclaredEncodings_ThatCannotBeUsed_AreRefusedInOneLine(string name, string expected)
    {
        var error = Assert.Throws<UserFacingException>(() => TextEncodings.Strict(name));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => TerminalText.IsUnsafe(c));
    }

    [Theory]
    [InlineData("shift_jis")]
    [InlineData("iso-2022-jp")]
    [InlineData("x-mac-japanese")]
    [InlineData("gb18030")]
    [InlineData("utf-32")]
    [InlineData("ibm037")]
    public void DecodingWithAnyKnownEncoding_OfArbitraryBytes_FailsOnlyInOneLine(string name)
    {
        var encoding = TextEncodings.Strict(name);
        var random = new Random(13);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            try
            {
                MinutesFile.Decode(bytes, "cr.txt", encoding);
            }
            catch (UserFacingException)
            {
                // refused: fine
            }
        }
    }

    [Fact]
    public void RecentSha1SelfSignatures_AreRefused_NamingSequoiasPolicy()
    {
        var key = TestKeyBuilder.Create("Camille <camille@example.org>", Now).WithSelfSignatureHash(HashAlgorithmTag.Sha1).WithCv25519Subkey().Build();

        var assessment = KeyAssessor.Assess(key, Now);

        Assert.False(assessment.Status.CanReceive());
        Assert.Contains("SHA-1", assessment.Problem, StringComparison.Ordinal);
        Assert.Contains("Sequoia's standard policy", assessment.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha1SelfSignatures_MadeBeforeTheCutoff_AreStillAccepted()
    {
        var then = new DateTimeOffset(2022, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var key = TestKeyBuilder.Create("Camille <camille@example.org>", then).WithSelfSignatureHash(HashAlgorithmTag.Sha1).WithCv25519Subkey().Build();

        Assert.True(KeyAssessor.Assess(key, then.AddDays(1)).Status.CanReceive());
    }

    [Fact]
    public void Sha256SelfSignatures_AreAccepted()
    {
        var key = TestKeyBuilder.Create("Camille <camille@example.org>", Now).WithSelfSignatureHash(HashAlgorithmTag.Sha256).WithCv25519Subkey().Build();

        Assert.True(KeyAssessor.Assess(key, Now).Status.CanReceive());
    }

    [Fact]
    public void AVersion3Key_IsNamedAsSuch()
    {
        var error = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(Version3Key(), "old-pgp2.pgp"));

        Assert.Contains("version 3 keys are not supported", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("v4 fingerprint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zoe@xn--bcher-kva.example", "zoe@bücher.example")]
    [InlineData("ZOE@XN--BCHER-KVA.EXAMPLE", "zoe@Bücher.example")]
    [InlineData("camille@example.org", "Camille@Example.ORG")]
    public void PunycodeAndUnicodeForms_AreOneAddress(string ascii, string unicode)
    {
        Assert.Equal(ascii, EmailAddress.Parse(ascii));
        Assert.Equal(unicode, EmailAddress.Parse(unicode));
        Assert.True(EmailAddress.SameAddress(ascii, unicode));
        Assert.Equal(MemberStore.EmailKey(ascii), MemberStore.EmailKey(unicode));
    }

    [Fact]
    public void AKeyForTheUnicodeForm_NamesAMemberAddedWithPunycode()
    {
        var key = TestKeyBuilder.Create("Zoé <zoe@bücher.example>", Now).WithCv25519Subkey().Build();

        Assert.True(KeyAssessor.Assess(key, Now).HasUserIdFor("zoe@xn--bcher-kva.example"));
    }

    [Theory]
    [InlineData("zoe@xn--invalid-.example")]
    [InlineData("zoe@exa\u202emple.org")]
    [InlineData("zoe@")]
    [InlineData("a\r\nb@example.org")]
    public void BrokenAddresses_AreRefusedInOneLine(string address)
    {
        var error = Assert.Throws<UserFacingException>(() => EmailAddress.Parse(address));

        Assert.DoesNotContain(error.Message, c => TerminalText.IsUnsafe(c));
    }

    /// <summary>A PGP 2.6-style v3 RSA public key packet and a user id, as old keyrings hold them.</summary>
    private static byte[] Version3Key()
    {
        var modulus = new byte[128];
        new Random(3).NextBytes(modulus);
        modulus[0] |= 0x80;
        modulus[^1] |= 1;
        var body = new List<byte> { 3, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 1 };
        body.AddRange([0x04, 0x00]); // MPI of 1024 bits
        body.AddRange(modulus);
        body.AddRange([0x00, 0x11, 0x01, 0x00, 0x01]); // e = 65537
        var uid = Encoding.ASCII.GetBytes("Old <old@example.org>");
        return [0x99, (byte)(body.Count >> 8), (byte)body.Count, .. body, 0xB4, (byte)uid.Length, .. uid];
    }
}
