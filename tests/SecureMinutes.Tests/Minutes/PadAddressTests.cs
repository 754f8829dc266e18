using SecureMinutes.Minutes.Pads;

namespace SecureMinutes.Tests.Minutes;

public sealed class PadAddressTests
{
    [Theory]
    [InlineData("https://framapad.org/p/ag-2026", "https://framapad.org/", "ag-2026")]
    [InlineData("https://annuel2.framapad.org/p/ag-2026-abc1?lang=fr#L3", "https://annuel2.framapad.org/", "ag-2026-abc1")]
    [InlineData("https://pad.example.org/etherpad/p/CR-AG-d%C3%A9c/export/txt", "https://pad.example.org/etherpad/", "CR-AG-déc")]
    [InlineData("https://pad.example.org/p/ag/timeslider", "https://pad.example.org/", "ag")]
    [InlineData("http://127.0.0.1:19001/p/local", "http://127.0.0.1:19001/", "local")]
    [InlineData("http://padxyz.onion/p/secret", "http://padxyz.onion/", "secret")]
    public void Parse_RecognisesEtherpadAddresses(string url, string baseUri, string padId)
    {
        var pad = PadAddress.Parse(url);

        Assert.Equal(PadKind.Etherpad, pad.Kind);
        Assert.Equal(baseUri, pad.BaseUri.ToString());
        Assert.Equal(padId, pad.PadId);
        Assert.False(pad.IsReadOnly);
    }

    [Fact]
    public void Parse_RecognisesReadOnlyEtherpadIds()
    {
        var pad = PadAddress.Parse("https://framapad.org/p/r.3e7c1d99f8b201cda8a8219699cd5de9");

        Assert.True(pad.IsReadOnly);
        Assert.Equal("r.3e7c1d99f8b201cda8a8219699cd5de9", pad.PadId);
    }

    [Theory]
    [InlineData("https://md.example.org/aB3dE5fG7hI9kL1mN2oP3q", "aB3dE5fG7hI9kL1mN2oP3q")]
    [InlineData("https://md.example.org/aB3dE5fG7hI9kL1mN2oP3q?both", "aB3dE5fG7hI9kL1mN2oP3q")]
    [InlineData("https://md.example.org/aB3dE5fG7hI9kL1mN2oP3q/download", "aB3dE5fG7hI9kL1mN2oP3q")]
    [InlineData("https://md.example.org/s/Hk3xyz", "Hk3xyz")]
    public void Parse_TakesOtherAddressesAsHedgeDocNotes(string url, string noteId)
    {
        var pad = PadAddress.Parse(url);

        Assert.Equal(PadKind.HedgeDoc, pad.Kind);
        Assert.Equal(noteId, pad.PadId);
        Assert.Equal("https://md.example.org/", pad.BaseUri.ToString());
    }

    [Theory]
    [InlineData("framapad.org/p/x", "is not a pad address")]
    [InlineData("ftp://pad.example.org/p/x", "is not a pad address")]
    [InlineData("https://pad.example.org/", "is not a pad address")]
    [InlineData("https://pad.example.org/a/b/c", "is not a pad address")]
    [InlineData("https://pad.example.org/p/x/settings", "is not a pad address")]
    [InlineData("http://framapad.org/p/x", "plain http")]
    [InlineData("https://user:pw@pad.example.org/p/x", "no user name or password")]
    public void Parse_RefusesWhatIsNotAPadAddress(string url, string expected)
    {
        var ex = Assert.Throws<UserFacingException>(() => PadAddress.Parse(url));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_IsTheCanonicalAddress_ThatParsesBackToTheSamePad()
    {
        var pad = PadAddress.Parse("https://pad.example.org/etherpad/p/CR-AG-d%C3%A9c/export/txt");

        Assert.Equal("https://pad.example.org/etherpad/p/CR-AG-d%C3%A9c", pad.Url);
        Assert.Equal(pad, PadAddress.Parse(pad.Url));
    }

    [Theory]
    [InlineData("https://md.example.org/abc", "K", null)]
    [InlineData("https://md.example.org/abc", null, 3)]
    public void Request_RefusesApiKeyAndRevisionForHedgeDoc(string url, string? key, int? rev)
    {
        var ex = Assert.Throws<UserFacingException>(() => PadRequest.Create(url, key, rev));

        Assert.Contains("Etherpad pads only", ex.Message, StringComparison.Ordinal);
    }
}
