using System.Globalization;
using System.Text;

namespace SecureMinutes.Tests.Lists;

/// <summary>
/// <see cref="EmailAddress.Canonical"/> skips ICU's IDNA mapping for plain ASCII domains (issue 12): these tests hold it
/// to exactly what the mapping gives, for valid, refused and punycode domains alike, since the canonical address is what
/// the blind index of every stored member is made from.
/// </summary>
public sealed class CanonicalAddressTests
{
    [Theory]
    [InlineData("camille@example.org")]
    [InlineData("Camille@Example.ORG")]
    [InlineData("a.b+tag@Sub.Domain.Example.COM")]
    [InlineData("x@example.org.")]
    [InlineData("x@-bad-.example")]
    [InlineData("x@ab--cd.example")]
    [InlineData("x@under_score.example")]
    [InlineData("x@a..b")]
    [InlineData("x@[192.0.2.1]")]
    [InlineData("x@xn--bcher-kva.example")]
    [InlineData("x@XN--BCHER-KVA.Example")]
    [InlineData("x@xn--invalid-punycode-.example")]
    [InlineData("x@bücher.example")]
    [InlineData("x@BÜCHER.example")]
    [InlineData("x@exa\u3002mple")]
    public void CanonicalAddress_IsWhatTheIdnaMappingGives(string address)
    {
        Assert.Equal(ThroughIdna(address), EmailAddress.Canonical(address));
    }

    [Fact]
    public void CanonicalAddress_OfALongAsciiLabel_IsLowerCased_AsWhenTheMappingRefusesIt()
    {
        var address = "x@" + new string('A', 64) + ".example";
        Assert.Equal(ThroughIdna(address), EmailAddress.Canonical(address));
        Assert.Equal(address.ToLowerInvariant(), EmailAddress.Canonical(address));
    }

    /// <summary>The canonical form as it was computed for every domain before the ASCII shortcut: ICU's IDNA mapping, lower-casing what it refuses.</summary>
    private static string ThroughIdna(string address)
    {
        var idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };
        var trimmed = address.Trim().Normalize(NormalizationForm.FormC);
        var at = trimmed.LastIndexOf('@');
        string domain;
        try
        {
            domain = idn.GetUnicode(idn.GetAscii(trimmed[(at + 1)..])).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            domain = trimmed[(at + 1)..].ToLowerInvariant();
        }

        return string.Concat(trimmed[..at].ToLowerInvariant(), "@", domain);
    }
}
