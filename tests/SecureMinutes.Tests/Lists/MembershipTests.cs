using System.Text;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Lists;

/// <summary>Members added to and removed from a list in a real SQLite database, with the fixture keys.</summary>
public sealed class MembershipTests : IAsyncLifetime, IDisposable
{
    private const string ListName = "ag-2026";
    private readonly TestServices _services = new();
    private readonly Membership _membership;
    private readonly ListService _lists;

    public MembershipTests()
    {
        _membership = _services.Get<Membership>();
        _lists = _services.Get<ListService>();
    }

    public async Task InitializeAsync() => await _lists.CreateAsync(ListName, "ag@lists.example.test", "AG 2026");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private Task<KeyImport> AddAsync(string fixture, string email, bool allowUserIdMismatch = false) =>
        _membership.AddAsync(ListName, email, TestKeys.FixtureBytes(fixture), fixture + ".pub.asc", new MemberOptions(allowUserIdMismatch));

    [Fact]
    public async Task Add_StoresTheMember_PinnedToTheirKey()
    {
        var added = await AddAsync("rsa3072", "rsa3072@example.org");

        Assert.Equal(TestKeys.Expected("rsa3072").Primary, added.Member.Fingerprint.Hex);
        Assert.Equal(KeyStatus.Usable, added.Key.Status);
        var listed = Assert.Single(await _membership.ListAsync(ListName));
        Assert.Equal("rsa3072@example.org", listed.Member.Email);
        Assert.Equal(added.Member.Fingerprint, listed.Member.Fingerprint);
        Assert.Equal(KeyStatus.Usable, listed.Key.Status);
        Assert.False(listed.Member.IsAdmin);
    }

    [Fact]
    public async Task Add_StoresTheKeysJudgement_SoListingsDoNotJudgeItAgain()
    {
        await AddAsync("twosub", "twosub@example.org");

        var stored = Assert.Single(await _services.Get<MemberStore>().ListAsync(1));
        Assert.NotNull(stored.KeySummary);
        Assert.True(stored.KeySummary.IsFor(stored.PublicKey));
        Assert.False(MemberKeys.NeedsJudging(stored));
        Assert.Equal(2, stored.KeySummary.At(DateTimeOffset.UtcNow).EncryptionKeyIds.Count);
    }

    [Fact]
    public async Task TheStoresCheckOfASummary_VouchesOnlyForTheKeyAndSummaryItWasMadeFor()
    {
        await AddAsync("twosub", "twosub@example.org");
        await AddAsync("rsa3072", "rsa3072@example.org");
        var listed = await _services.Get<MemberStore>().ListAsync(1);
        var (a, b) = (listed[1], listed[0]);

        Assert.False(MemberKeys.NeedsJudging(a));
        Assert.False(MemberKeys.NeedsJudging(a with { IsAdmin = true }));
        Assert.True(MemberKeys.NeedsJudging(a with { PublicKey = b.PublicKey }));
        Assert.True(MemberKeys.NeedsJudging(a with { KeySummary = b.KeySummary }));
        Assert.True(MemberKeys.NeedsJudging(a with { PublicKey = (byte[])a.PublicKey.Clone(), KeySummary = b.KeySummary }));
        var now = DateTimeOffset.UtcNow;
        var judgedAfresh = MemberKeys.StateOf(a with { PublicKey = b.PublicKey }, now);
        Assert.Equal(MemberKeys.StateOf(b, now).EncryptionKeyIds, judgedAfresh.EncryptionKeyIds);
        Assert.Single(judgedAfresh.EncryptionKeyIds);
        Assert.Equal(2, MemberKeys.StateOf(a, now).EncryptionKeyIds.Count);
    }

    [Fact]
    public async Task Listing_JudgesAndStoresKeysThatWereNeverJudged_Once()
    {
        await AddAsync("rsa3072", "rsa3072@example.org");
        var store = _services.Get<MemberStore>();
        var member = Assert.Single(await store.ListAsync(1));
        await store.SaveKeySummariesAsync([(member.Id, member.PublicKey, member.KeySummary! with { CertificateSha256 = "stale" })]);
        Assert.True(MemberKeys.NeedsJudging(Assert.Single(await store.ListAsync(1))));

        var listed = Assert.Single(await _membership.ListAsync(ListName));

        Assert.Equal(KeyStatus.Usable, listed.Key.Status);
        Assert.False(MemberKeys.NeedsJudging(Assert.Single(await store.ListAsync(1))));
    }

    [Theory]
    [InlineData("expired", "expired@example.org", "expired on 2020-12-31")]
    [InlineData("expired-subkey", "expired-subkey@example.org", "every encryption subkey has expired")]
    [InlineData("revoked", "revoked@example.org", "revoked")]
    [InlineData("signonly", "signonly@example.org", "no encryption-capable")]
    public async Task Add_RefusesAKeyThatCannotReceiveMail_WithTheReason_AndStoresNothing(string fixture, string email, string reason)
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync(fixture, email));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(TestKeys.Expected(fixture).Primary, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_RefusesAKey_WhoseUserIdsDoNotNameTheMember()
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync("rsa3072", "camille@example.org"));

        Assert.Contains("camille@example.org is not in any of its valid user ids", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RSA3072 Test <rsa3072@example.org>", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_AcceptsAUserIdMismatch_WhenTheAdminAllowsIt()
    {
        var added = await AddAsync("rsa3072", "camille@example.org", allowUserIdMismatch: true);

        Assert.Equal("camille@example.org", added.Member.Email);
        Assert.Single(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_StillRefusesAnExpiredKey_WhenUserIdMismatchIsAllowed()
    {
        await Assert.ThrowsAsync<UserFacingException>(() => AddAsync("expired", "someone@example.org", allowUserIdMismatch: true));

        Assert.Empty(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_AcceptsTheSecondUserId_InAnotherCase()
    {
        var added = await AddAsync("twouid", "TwoUID-B@Example.org");

        Assert.Equal(TestKeys.Expected("twouid").Primary, added.Member.Fingerprint.Hex);
    }

    [Fact]
    public async Task Add_TheSameKeyTwice_LeavesOneMemberUnchanged_WhateverTheCase()
    {
        await AddAsync("ed25519", "ed25519@example.org");

        var again = await AddAsync("ed25519", "ED25519@example.org");

        Assert.Equal(KeyImportOutcome.Unchanged, again.Outcome);
        Assert.Equal("ed25519@example.org", Assert.Single(await _membership.ListAsync(ListName)).Member.Email);
    }

    [Fact]
    public async Task Add_RefusesADifferentKeyForAnExistingMember_WithoutReplace_AndChangesNothing()
    {
        await AddAsync("ed25519", "ed25519@example.org", allowUserIdMismatch: true);

        var ex = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync("rsa4096", "ED25519@example.org", allowUserIdMismatch: true));

        Assert.Contains("already a member", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--replace", ex.Message, StringComparison.Ordinal);
        Assert.Equal(TestKeys.Expected("ed25519").Primary, Assert.Single(await _membership.ListAsync(ListName)).Member.Fingerprint.Hex);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Camille <camille@example.org>")]
    [InlineData("camille@example.org\nBcc: all@example.org")]
    [InlineData("")]
    public async Task Add_RefusesAnInvalidAddress(string email)
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync("rsa3072", email));

        Assert.Contains("is not a valid e-mail member address", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_RefusesASecretKey()
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() =>
            _membership.AddAsync(ListName, "rsa3072@example.org", TestKeys.FixtureBytes("rsa3072", secret: true), "rsa3072.sec.asc", new MemberOptions()));

        Assert.Contains("SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _membership.ListAsync(ListName));
    }

    [Fact]
    public async Task Add_PicksTheMembersKey_FromAFileHoldingSeveral()
    {
        var several = Encoding.ASCII.GetBytes(
            Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519")) + Encoding.ASCII.GetString(TestKeys.FixtureBytes("rsa4096")));

        var added = await _membership.AddAsync(ListName, "rsa4096@example.org", several, "keyring.asc", new MemberOptions());

        Assert.Equal(TestKeys.Expected("rsa4096").Primary, added.Member.Fingerprint.Hex);
    }

    [Fact]
    public async Task Add_RefusesAnUnknownList()
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() =>
            _membership.AddAsync("no-such-list", "rsa3072@example.org", TestKeys.FixtureBytes("rsa3072"), "rsa3072.pub.asc", new MemberOptions()));

        Assert.Contains("no list named 'no-such-list'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_TakesTheMemberOff_WhateverTheCase()
    {
        await AddAsync("ed25519", "ed25519@example.org");
        await AddAsync("rsa3072", "rsa3072@example.org");

        await _membership.RemoveAsync(ListName, "Ed25519@Example.org");

        Assert.Equal("rsa3072@example.org", Assert.Single(await _membership.ListAsync(ListName)).Member.Email);
    }

    [Fact]
    public async Task Remove_RefusesSomeoneWhoIsNotAMember()
    {
        await AddAsync("ed25519", "ed25519@example.org");

        var ex = await Assert.ThrowsAsync<UserFacingException>(() => _membership.RemoveAsync(ListName, "stranger@example.org"));

        Assert.Equal($"stranger@example.org is not a member of {ListName}", ex.Message);
        Assert.Single(await _membership.ListAsync(ListName));
    }
}
