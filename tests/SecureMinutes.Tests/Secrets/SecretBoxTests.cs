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
    public void Constructor_RefusesAMasterKeyThatIsNot32Bytes()
    {
        Assert.Throws<ArgumentException>(() => new SecretBox(new byte[16]));
    }
}
