using System.Security.Cryptography;
using System.Text;
using SecureMinutes.Secrets;

namespace SecureMinutes.Tests.Secrets;

public class SecretBoxTests
{
    private static readonly byte[] MasterKey = RandomNumberGenerator.GetBytes(32);
    private readonly SecretBox _box = new(MasterKey);

    [Fact]
    public void Open_ReturnsWhatWasSealed()
    {
        var plaintext = Encoding.UTF8.GetBytes("Compte rendu ✊ — confidentiel");

        var sealedBlob = _box.Seal(plaintext, "submission:sub-abcd");

        Assert.Equal(plaintext, _box.Open(sealedBlob, "submission:sub-abcd"));
    }

    [Fact]
    public void Seal_HidesThePlaintext_AndNeverRepeatsItself()
    {
        var plaintext = Encoding.UTF8.GetBytes("token-123 token-123 token-123");

        var first = _box.Seal(plaintext, "p");
        var second = _box.Seal(plaintext, "p");

        Assert.Equal(1 + 12 + 16 + plaintext.Length, first.Length);
        Assert.Equal(1, first[0]);
        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf("token-123"u8));
    }

    [Fact]
    public void Open_RoundTripsAnEmptyBlob()
    {
        Assert.Empty(_box.Open(_box.Seal([], "empty"), "empty"));
    }

    [Fact]
    public void Open_Fails_ForAnotherPurpose()
    {
        var sealedBlob = _box.Seal("secret"u8, "list-secret-key:AAAA");

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(sealedBlob, "list-secret-key:BBBB"));
    }

    [Theory]
    [InlineData(1)]   // nonce
    [InlineData(13)]  // tag
    [InlineData(29)]  // ciphertext
    public void Open_Fails_WhenAnyByteWasTamperedWith(int index)
    {
        var sealedBlob = _box.Seal("the minutes"u8, "p");
        sealedBlob[index] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(sealedBlob, "p"));
    }

    [Fact]
    public void Open_Fails_UnderAnotherMasterKey()
    {
        var sealedBlob = _box.Seal("the minutes"u8, "p");

        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(RandomNumberGenerator.GetBytes(32)).Open(sealedBlob, "p"));
    }

    [Fact]
    public void Open_RefusesAnUnknownVersion_OrATruncatedBlob()
    {
        var sealedBlob = _box.Seal("the minutes"u8, "p");
        var otherVersion = (byte[])sealedBlob.Clone();
        otherVersion[0] = 2;

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(otherVersion, "p"));
        Assert.ThrowsAny<CryptographicException>(() => _box.Open(sealedBlob.AsSpan(0, 20), "p"));
        Assert.ThrowsAny<CryptographicException>(() => _box.Open([], "p"));
    }

    [Fact]
    public void Open_OpensWhatAnyStandardAesGcmSealed_BeingTheSameAlgorithmAsSealing()
    {
        // Sealing goes through .NET's AesGcm and opening through BouncyCastle's GCM (see SecretBox): a blob sealed by
        // .NET's AesGcm under the box's derived key, with the documented layout, must open, whatever its size.
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, MasterKey, 32, info: "secureminutes/data/v1"u8.ToArray());
        foreach (var size in new[] { 0, 1, 15, 16, 17, 300, 4_097 })
        {
            var plaintext = RandomNumberGenerator.GetBytes(size);
            var blob = new byte[1 + 12 + 16 + size];
            blob[0] = 1;
            RandomNumberGenerator.Fill(blob.AsSpan(1, 12));
            using (var aes = new AesGcm(key, 16))
            {
                aes.Encrypt(blob.AsSpan(1, 12), plaintext, blob.AsSpan(29), blob.AsSpan(13, 16), "p"u8);
            }

            Assert.Equal(plaintext, _box.Open(blob, "p"));
        }
    }

    [Fact]
    public void Open_KeepsOpening_AfterATamperedBlob_AndAcrossTwoBoxesOnOneThread()
    {
        var other = new SecretBox(RandomNumberGenerator.GetBytes(32));
        var mine = _box.Seal("mine"u8, "p");
        var theirs = other.Seal("theirs"u8, "p");
        var tampered = (byte[])mine.Clone();
        tampered[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => _box.Open(tampered, "p"));
        Assert.Equal("mine"u8.ToArray(), _box.Open(mine, "p"));
        Assert.Equal("theirs"u8.ToArray(), other.Open(theirs, "p"));
        Assert.Equal("mine"u8.ToArray(), _box.Open(mine, "p"));
        Assert.ThrowsAny<CryptographicException>(() => other.Open(mine, "p"));
        Assert.Equal("theirs"u8.ToArray(), other.Open(theirs, "p"));
    }

    [Fact]
    public void Open_FromManyThreadsAtOnce_GivesEachBlobItsOwnPlaintext()
    {
        var blobs = Enumerable.Range(0, 2_000).Select(i => (Text: $"member-{i}@example.org", Blob: _box.Seal(Encoding.UTF8.GetBytes($"member-{i}@example.org"), $"member/{i}/email"))).ToList();

        var opened = blobs.AsParallel().WithDegreeOfParallelism(4).Select((b, i) => (b.Text, Opened: Encoding.UTF8.GetString(_box.Open(b.Blob, $"member/{b.Text[7..b.Text.IndexOf('@', StringComparison.Ordinal)]}/email")))).ToList();

        Assert.All(opened, o => Assert.Equal(o.Text, o.Opened));
    }

    [Fact]
    public void Constructor_RefusesAMasterKeyThatIsNot32Bytes()
    {
        Assert.Throws<ArgumentException>(() => new SecretBox(new byte[16]));
    }
}
