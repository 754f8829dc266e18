using System.Text;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Online;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>WKD addresses, checked against the specification's example and against Sequoia (<c>sq wkd url</c>).</summary>
public sealed class WkdAddressTests
{
    [Fact]
    public void For_GivesTheSpecificationsExample()
    {
        // draft-koch-openpgp-webkey-service, section 3.1.
        var address = WkdAddress.For("Joe.Doe@Example.ORG");

        Assert.Equal("iy9q119eutrkn8s1mk4r39qejnbu3n5q", address.Hash);
        Assert.Equal("https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe", address.Advanced.AbsoluteUri);
        Assert.Equal("https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe", address.Direct.AbsoluteUri);
    }

    [Theory]
    [InlineData("camille@members.example.test")]
    [InlineData("Dominique.Martin+ag@Riseup.NET")]
    [InlineData("x@systemli.org")]
    [InlineData("élise@example.org")]
    public void For_AgreesWithSequoia(string email)
    {
        var advanced = Encoding.UTF8.GetString(Tool.Succeed("sq", null, "wkd", "url", email)).Trim();
        var direct = Encoding.UTF8.GetString(Tool.Succeed("sq", null, "wkd", "direct-url", email)).Trim();

        var address = WkdAddress.For(email);

        // Sequoia leaves '+' as it is in ?l=; we percent-escape it (a form-decoding server would read a space).
        Assert.Equal(Uri.UnescapeDataString(advanced), Uri.UnescapeDataString(address.Advanced.AbsoluteUri));
        Assert.Equal(Uri.UnescapeDataString(direct), Uri.UnescapeDataString(address.Direct.AbsoluteUri));
    }

    [Fact]
    public void ZBase32_PadsTheLastGroupWithZeroBits()
    {
        Assert.Equal("", ZBase32.Encode([]));
        Assert.Equal("yy", ZBase32.Encode([0x00]));   // 00000 000(00)
        Assert.Equal("6y", ZBase32.Encode([0xF0]));   // 11110 = '6', 000(00) = 'y'
        Assert.Equal(32, ZBase32.Encode(new byte[20]).Length); // a SHA-1 is 32 characters
    }
}
