using System.Text;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

public class PublicKeyReaderTests
{
    [Fact]
    public void Read_AcceptsAnArmoredPublicKey()
    {
        var rings = PublicKeyReader.Read(TestKeys.FixtureBytes("rsa3072"), "rsa3072.pub.asc");

        var ring = Assert.Single(rings);
        Assert.Equal(TestKeys.Expected("rsa3072").Primary, Fingerprint.Of(ring.GetPublicKey()).Hex);
    }

    [Fact]
    public void Read_AcceptsABinaryPublicKey()
    {
        var binary = TestKeys.Fixture("ed25519").GetEncoded();

        var ring = Assert.Single(PublicKeyReader.Read(binary, "ed25519.gpg"));

        Assert.Equal(binary, ring.GetEncoded());
    }

    [Fact]
    public void Read_AcceptsArmoredKeyWithCrlfLineEnds()
    {
        var crlf = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519")).ReplaceLineEndings("\r\n"));

        var ring = Assert.Single(PublicKeyReader.Read(crlf, "ed25519.asc"));

        Assert.Equal(TestKeys.Expected("ed25519").Primary, Fingerprint.Of(ring.GetPublicKey()).Hex);
    }

    [Fact]
    public void Read_FindsEveryArmoredBlock_InAMailWithTextAroundThem()
    {
        var mail = "Bonjour,\n\nvoici nos clés (pièces jointes collées) :\n\n"
            + Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519"))
            + "\nEt la seconde :\n"
            + Encoding.ASCII.GetString(TestKeys.FixtureBytes("rsa3072"))
            + "\n-- \nCamille\n";

        var rings = PublicKeyReader.Read(Encoding.UTF8.GetBytes(mail), "mail.txt");

        Assert.Equal(
            [TestKeys.Expected("ed25519").Primary, TestKeys.Expected("rsa3072").Primary],
            rings.Select(r => Fingerprint.Of(r.GetPublicKey()).Hex));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_RefusesASecretKey_SayingSecret(bool armored)
    {
        var data = armored ? TestKeys.FixtureBytes("rsa3072", secret: true) : TestKeys.FixtureSecret("rsa3072").GetEncoded();

        var ex = Assert.Throws<UserFacingException>(() => PublicKeyReader.Read(data, "rsa3072.sec.asc"));

        Assert.Contains("SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rsa3072.sec.asc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesARevocationCertificateAlone_AsNotAPublicKey()
    {
        var ex = Assert.Throws<UserFacingException>(() => PublicKeyReader.Read(File.ReadAllBytes(Path.Combine(TestPaths.FixtureKeys, "revoked.rev.asc")), "revoked.rev.asc"));

        Assert.Contains("not a public key", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "empty", [] },
        { "plain text", "hello, this is not a key\n"u8.ToArray() },
        { "armor with garbage inside", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!! not base64 !!!!\n-----END PGP PUBLIC KEY BLOCK-----\n"u8.ToArray() },
        { "armor cut short", Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519"))[..300]) },
        { "binary noise", Enumerable.Range(0, 512).Select(i => (byte)((i * 7919) ^ (i >> 3))).ToArray() },
        { "truncated binary key", TestKeys.Fixture("rsa3072").GetEncoded()[..200] },
        { "a JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Read_RefusesGarbage_WithAOneLineMessage(string what, byte[] data)
    {
        var ex = Assert.Throws<UserFacingException>(() => PublicKeyReader.Read(data, "key.asc"));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
        Assert.Contains("key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RefusesAKeyPacketOfAnUnknownVersion_WithAOneLineMessage()
    {
        // BouncyCastle throws its own UnsupportedPacketVersionException (not an IOException) for this.
        var data = TestKeys.Fixture("ed25519").GetEncoded();
        var keyPacket = Packets.Walk(data)[0];
        Assert.Equal(Packets.PublicKey, keyPacket.Tag);
        data[keyPacket.BodyStart] = 9;

        var ex = Assert.Throws<UserFacingException>(() => PublicKeyReader.Read(data, "key.gpg"));

        Assert.StartsWith("key.gpg is not a readable OpenPGP public key", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void ReadAndAssess_ThrowOnlyUserFacingExceptions_OnRandomlyDamagedKeys()
    {
        // A seeded fuzz over a real certificate: whatever a member sends, the admin gets a sentence, not a stack trace.
        var original = TestKeys.Fixture("ed25519").GetEncoded();
        var random = new Random(20260101);
        for (var i = 0; i < 400; i++)
        {
            var damaged = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            if (i % 4 == 0)
            {
                damaged = damaged[..random.Next(1, damaged.Length)];
            }

            try
            {
                foreach (var ring in PublicKeyReader.Read(damaged, "key.gpg"))
                {
                    _ = KeyAssessor.Assess(ring, DateTimeOffset.UtcNow);
                }
            }
            catch (UserFacingException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
            }
        }
    }

    [Fact]
    public void Read_SaysEmpty_ForAnEmptyFile()
    {
        var ex = Assert.Throws<UserFacingException>(() => PublicKeyReader.Read([], "key.asc"));

        Assert.Equal("key.asc is empty, not an OpenPGP key", ex.Message);
    }
}
