using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Distribution;

/// <summary>Who is sent a copy: a usable key, and a verified one on lists that require it.</summary>
public sealed class DeliveryEligibilityTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly MailingList List = new(1, "ag", "ag@lists.example.test", "AG", new Fingerprint(TestKeys.Expected("list").Primary),
        TestKeys.Fixture("list").GetEncoded(), Now);

    private static Member MemberWith(string fixture, bool verified) => new(7, 1, fixture + "@example.org", new Fingerprint(TestKeys.Expected(fixture).Primary),
        TestKeys.Fixture(fixture).GetEncoded(), null, false, Now)
    {
        VerifiedFingerprint = verified ? new Fingerprint(TestKeys.Expected(fixture).Primary) : null,
    };

    [Fact]
    public void Check_SkipsAnUnverifiedMember_OnlyWhenTheListRequiresVerifiedKeys_SayingHowToVerify()
    {
        var unverified = MemberWith("ed25519", verified: false);

        Assert.Null(DeliveryEligibility.Check(unverified, List, Now).Refusal);
        var refusal = DeliveryEligibility.Check(unverified, List with { RequireVerified = true }, Now).Refusal;
        Assert.Contains("requires verified keys", refusal, StringComparison.Ordinal);
        Assert.Contains("member verify ag ed25519@example.org --fingerprint", refusal, StringComparison.Ordinal);
        Assert.Null(DeliveryEligibility.Check(MemberWith("ed25519", verified: true), List with { RequireVerified = true }, Now).Refusal);
    }

    [Fact]
    public void Check_SkipsAnExpiredKey_EvenWhenVerified()
    {
        var refusal = DeliveryEligibility.Check(MemberWith("expired", verified: true), List, Now).Refusal;

        Assert.Contains("expired on 2020-12-31", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NewCopy_RecordsTheSkipReason_ForAnUnverifiedMember()
    {
        var copy = DistributionService.NewCopy("sub-1", MemberWith("rsa3072", verified: false), List with { RequireVerified = true }, Now);

        Assert.Equal(DeliveryState.SkippedNoKey, copy.State);
        Assert.StartsWith("not sent: the list requires verified keys", copy.Detail, StringComparison.Ordinal);
    }
}
