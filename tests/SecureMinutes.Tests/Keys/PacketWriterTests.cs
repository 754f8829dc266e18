using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>
/// The OpenPGP pieces the batch path writes without BouncyCastle's generators, held against what those
/// generators write (Ed25519 signatures are deterministic, so they must match byte for byte) and read back
/// with BouncyCastle's parser.
/// </summary>
public class PacketWriterTests
{
    [Theory]
    [InlineData("Content-Type: text/plain\r\n\r\nBonjour\r\n")]
    [InlineData("")]
    public void TextSignature_IsByteForByteTheSignatureBouncyCastlesGeneratorMakes(string canonical)
    {
        var secret = TestKeys.DemoSecret("list").GetSecretKey();
        var created = new DateTimeOffset(2026, 11, 21, 18, 30, 5, TimeSpan.Zero);
        var data = Encoding.UTF8.GetBytes(canonical);

        var ours = new TextSignature(secret).Sign(created, data.AsMemory(0, data.Length / 2), data.AsMemory(data.Length / 2));

        var generator = new PgpSignatureGenerator(secret.PublicKey.Algorithm, HashAlgorithmTag.Sha512);
        generator.InitSign(PgpSignature.CanonicalTextDocument, secret.ExtractPrivateKey(null));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, created.UtcDateTime);
        hashed.SetIssuerFingerprint(false, secret.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, secret.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        generator.Update(data);
        Assert.Equal(generator.Generate().GetEncoded(), ours);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(47)]
    [InlineData(48)]
    [InlineData(49)]
    [InlineData(22_000)]
    public void MessageArmor_IsTheTextBouncyCastlesArmoredOutputStreamWrites(int length)
    {
        var binary = new byte[length];
        new Random(length).NextBytes(binary);
        binary[0] = 0xC1; // a PKESK packet tag: BouncyCastle names the armor block after the first packet

        using var expected = new MemoryStream();
        using (var armored = new ArmoredOutputStream(expected, false))
        {
            armored.Write(binary);
        }

        Assert.Equal(Encoding.ASCII.GetString(expected.ToArray()), Encoding.ASCII.GetString(MessageArmor.Armor(binary)));
    }

    [Fact]
    public void CompressedLiteral_ReadsAsOneBinaryLiteralOfTheData_DatedAsGiven()
    {
        var data = Encoding.UTF8.GetBytes("Content-Type: multipart/signed\r\n\r\n--b\r\n"
            + string.Concat(Enumerable.Repeat("Le compte-rendu partagé par tous. ", 500)) + "\r\n--b--\r\n");
        var date = new DateTimeOffset(2026, 11, 21, 18, 30, 5, TimeSpan.Zero);

        var packet = CompressedLiteral.Packet(date, data);

        var compressed = Assert.IsType<PgpCompressedData>(new PgpObjectFactory(packet).NextPgpObject());
        Assert.Equal(CompressionAlgorithmTag.Zip, compressed.Algorithm);
        var factory = new PgpObjectFactory(compressed.GetDataStream());
        var literal = Assert.IsType<PgpLiteralData>(factory.NextPgpObject());
        using var content = new MemoryStream();
        literal.GetDataStream().CopyTo(content);
        Assert.Equal(PgpLiteralData.Binary, literal.Format);
        Assert.Equal(date.UtcDateTime, literal.ModificationTime);
        Assert.Equal(data, content.ToArray());
        Assert.Null(factory.NextPgpObject());
        Assert.True(packet.Length < data.Length / 4, $"the data is compressed ({packet.Length} octets)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(47)]
    [InlineData(48)]
    [InlineData(22_000)]
    public void MessageArmor_ArmoredLength_IsTheLengthOfTheArmor(int length)
    {
        var binary = new byte[length];

        Assert.Equal(MessageArmor.ArmoredLength(length), MessageArmor.Armor(binary).Length);
    }

    [Fact]
    public void SessionInfo_IsTheCipherOctetTheKeyAndTheSumOfItsOctets()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(200 + i)).ToArray();

        var info = new byte[key.Length + 3];
        RecipientKey.SessionInfo(SymmetricKeyAlgorithmTag.Aes256, key, info);

        var sum = key.Sum(b => b);
        Assert.Equal([(byte)SymmetricKeyAlgorithmTag.Aes256, .. key, (byte)(sum >> 8), (byte)sum], info);
    }
}
