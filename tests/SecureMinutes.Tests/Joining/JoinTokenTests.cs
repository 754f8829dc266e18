using SecureMinutes.Joining;

namespace SecureMinutes.Tests.Joining;

/// <summary>Join links' tokens and invite lifetimes as people write them.</summary>
public sealed class JoinTokenTests
{
    [Fact]
    public void Tokens_Carry128RandomBits_AndAreStoredOnlyAsTheirHash()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => JoinTokens.New()).ToList();
        Assert.All(tokens, t => Assert.Equal(16, System.Buffers.Text.Base64Url.DecodeFromChars(t.Token).Length));
        Assert.All(tokens, t => Assert.Matches("^[0-9A-F]{64}$", t.Hash));
        Assert.All(tokens, t => Assert.Equal(t.Hash, JoinTokens.Hash(t.Token)));
        Assert.Equal(100, tokens.Select(t => t.Token).Distinct().Count());
    }

    [Theory]
    [InlineData("90m", 90)]
    [InlineData("12h", 12 * 60)]
    [InlineData("2d", 2 * 24 * 60)]
    [InlineData(" 1W ", 7 * 24 * 60)]
    public void Lifetimes_AreANumberAndAUnit(string text, int minutes) => Assert.Equal(TimeSpan.FromMinutes(minutes), InviteLifetime.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("2 days")]
    [InlineData("1.5h")]
    public void OtherLifetimes_AreRefusedInOneLine(string text)
    {
        var refused = Assert.Throws<UserFacingException>(() => InviteLifetime.Parse(text));
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void AnInvite_IsOpenOnlyUnrevokedUnexpiredAndWithUsesLeft()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1000);
        var invite = new JoinInvite(1, 1, "admin", now, now.AddDays(2), MaxUses: 2, Uses: 1, NeedsApproval: false, RevokedAt: null);
        Assert.True(invite.IsOpen(now));
        Assert.False((invite with { Uses = 2 }).IsOpen(now));
        Assert.False(invite.IsOpen(now.AddDays(2)));
        Assert.False((invite with { RevokedAt = now }).IsOpen(now));
    }
}
