using System.Text;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Lists;

/// <summary>A member's key changing: newer copies merged, other keys only with --replace, verification, and the audit log of it all.</summary>
public sealed class MemberKeyChangeTests : IAsyncLifetime, IDisposable
{
    private const string ListName = "ag-2026";
    private readonly TestServices _services = new();

    private Membership Membership => _services.Get<Membership>();

    private MemberVerification Verification => _services.Get<MemberVerification>();

    public async Task InitializeAsync() => await _services.Get<ListService>().CreateAsync(ListName, "ag@lists.example.test", "AG 2026");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private Task<KeyImport> AddAsync(byte[] key, string email, MemberOptions? options = null) =>
        Membership.AddAsync(ListName, email, key, "key.asc", options ?? new MemberOptions(Actor: "camille"));

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        var list = await _services.Get<ListStore>().GetAsync(ListName);
        return await _services.Get<AuditStore>().ListAsync(list.Id);
    }

    [Fact]
    public async Task Add_MergesANewerCopyOfTheSameKey_WithoutReplace_AndLogsWhatChanged()
    {
        await AddAsync(TestKeys.FixtureBytes("ed25519"), "ed25519@example.org");
        var fingerprint = TestKeys.Expected("ed25519").Primary;
        using var gpg = new GnuPG();
        gpg.Run(TestKeys.FixtureBytes("ed25519", secret: true), "--import");
        gpg.Run([], "--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-key", fingerprint, "cv25519", "encr", "1y");
        var newer = Encoding.ASCII.GetBytes(gpg.Run([], "--armor", "--export", fingerprint).Output);

        var merged = await AddAsync(newer, "ed25519@example.org");

        Assert.Equal(KeyImportOutcome.Merged, merged.Outcome);
        Assert.Contains(merged.Changes, c => c.StartsWith("new encryption subkey", StringComparison.Ordinal));
        Assert.Equal(2, Assert.Single(await Membership.ListAsync(ListName)).Key.EncryptionKeyIds.Count);
        var entry = (await AuditAsync())[^1];
        Assert.Equal((AuditActions.KeyMerged, "camille", fingerprint, fingerprint), (entry.Action, entry.Actor, entry.OldFingerprint, entry.NewFingerprint));
        Assert.Contains("new encryption subkey", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_MergesARevocation_EvenThoughTheKeyCanNoLongerReceive()
    {
        await AddAsync(TestKeys.FixtureBytes("sq-cv25519"), "sq@example.org");
        // The member revokes with sq; the admin's gpg merges the revocation certificate and exports the key.
        var revocation = Tool.Succeed("sq", null, "revoke", "certificate", "--certificate", TestKeys.FixturePath("sq-cv25519", secret: true), "compromised", "lost phone");
        using var gpg = new GnuPG();
        gpg.Run(TestKeys.FixtureBytes("sq-cv25519"), "--import");
        gpg.Run(revocation, "--import");
        var revokedCopy = Encoding.ASCII.GetBytes(gpg.Run([], "--armor", "--export", TestKeys.Expected("sq-cv25519").Primary).Output);

        var merged = await AddAsync(revokedCopy, "sq@example.org");

        Assert.Equal(KeyImportOutcome.Merged, merged.Outcome);
        Assert.Equal(KeyStatus.Revoked, Assert.Single(await Membership.ListAsync(ListName)).Key.Status);
    }

    [Fact]
    public async Task Add_TakesTheRevocationCertificateGnuPGWrote_ForTheMembersOwnKeyOnly()
    {
        // The member's key as it was before they revoked it: the fixture without its revocation signature.
        var revokedKey = TestKeys.Fixture("revoked");
        var primary = revokedKey.GetPublicKey();
        var unrevoked = Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing.InsertPublicKey(revokedKey,
            primary.GetSignaturesOfType(Org.BouncyCastle.Bcpg.OpenPgp.PgpSignature.KeyRevocation).Aggregate(primary, (key, sig) => Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey.RemoveCertification(key, sig)));
        await AddAsync(unrevoked.GetEncoded(), "revoked@example.org");
        await AddAsync(TestKeys.FixtureBytes("ed25519"), "ed25519@example.org");
        var certificate = await File.ReadAllBytesAsync(Path.Combine(TestPaths.FixtureKeys, "revoked.rev.asc"));

        var notThisOne = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync(certificate, "ed25519@example.org"));
        var notAMember = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync(certificate, "someone@example.org"));
        var revoked = await AddAsync(certificate, "revoked@example.org");

        Assert.Contains("does not revoke the key pinned for ed25519@example.org", notThisOne.Message, StringComparison.Ordinal);
        Assert.Contains("is not a member", notAMember.Message, StringComparison.Ordinal);
        Assert.Equal(KeyImportOutcome.Merged, revoked.Outcome);
        Assert.Equal(KeyStatus.Revoked, revoked.Key.Status);
        var members = (await Membership.ListAsync(ListName)).ToDictionary(m => m.Member.Email);
        Assert.Equal(KeyStatus.Revoked, members["revoked@example.org"].Key.Status);
        Assert.Equal(KeyStatus.Usable, members["ed25519@example.org"].Key.Status);
        Assert.Contains("revocation certificate", (await AuditAsync())[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_RefusesADifferentKey_UntilReplaceIsGiven_ThenLogsOldAndNew_AndDropsVerification()
    {
        var first = await AddAsync(TestKeys.FixtureBytes("ed25519"), "camille@example.org", new MemberOptions(AllowUserIdMismatch: true, Actor: "dominique"));
        await Verification.VerifyAsync(ListName, "camille@example.org", first.Key.Fingerprint.Grouped, "dominique");

        var refused = await Assert.ThrowsAsync<UserFacingException>(() =>
            AddAsync(TestKeys.FixtureBytes("rsa4096"), "camille@example.org", new MemberOptions(AllowUserIdMismatch: true)));
        Assert.Contains("--replace", refused.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(await Membership.ListAsync(ListName)).Member.IsVerified);

        var replaced = await AddAsync(TestKeys.FixtureBytes("rsa4096"), "camille@example.org", new MemberOptions(AllowUserIdMismatch: true, Replace: true, Actor: "sacha"));

        Assert.Equal(KeyImportOutcome.Replaced, replaced.Outcome);
        var member = Assert.Single(await Membership.ListAsync(ListName)).Member;
        Assert.Equal(TestKeys.Expected("rsa4096").Primary, member.Fingerprint.Hex);
        Assert.False(member.IsVerified);
        var entry = (await AuditAsync())[^1];
        Assert.Equal((AuditActions.KeyReplaced, "sacha"), (entry.Action, entry.Actor));
        Assert.Equal((TestKeys.Expected("ed25519").Primary, TestKeys.Expected("rsa4096").Primary), (entry.OldFingerprint, entry.NewFingerprint));
    }

    [Fact]
    public async Task Verify_AcceptsTheExactFingerprint_WithSpacesAndAnyCase_AndLogsWhoDidIt()
    {
        await AddAsync(TestKeys.FixtureBytes("twosub"), "twosub@example.org");

        var (member, changed) = await Verification.VerifyAsync(ListName, "TwoSub@example.org", "6869 366c 848a 745f 15f0  b1af 0a7c cc83 1da2 b699", "sacha");

        Assert.True(changed);
        Assert.True(member.IsVerified);
        Assert.True(Assert.Single(await Membership.ListAsync(ListName)).Member.IsVerified);
        var entry = (await AuditAsync())[^1];
        Assert.Equal((AuditActions.MemberVerified, "sacha"), (entry.Action, entry.Actor));
        Assert.False((await Verification.VerifyAsync(ListName, "twosub@example.org", "openpgp4fpr:6869366C848A745F15F0B1AF0A7CCC831DA2B699", "sacha")).Changed);
    }

    [Theory]
    [InlineData("5BCC8513CF577ABB85231A7647F55490E6F4FA02", "is not the key pinned")]
    [InlineData("0A7CCC831DA2B699", "not an OpenPGP v4 fingerprint")]
    [InlineData("6869 366C 848A 745F 15F0 B1AF 0A7C CC83 1DA2 B69", "not an OpenPGP v4 fingerprint")]
    public async Task Verify_RefusesAnythingButTheFullPinnedFingerprint_AndChangesNothing(string given, string error)
    {
        await AddAsync(TestKeys.FixtureBytes("twosub"), "twosub@example.org");

        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Verification.VerifyAsync(ListName, "twosub@example.org", given, "sacha"));

        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
        Assert.False(Assert.Single(await Membership.ListAsync(ListName)).Member.IsVerified);
        Assert.DoesNotContain(await AuditAsync(), e => e.Action == AuditActions.MemberVerified);
    }

    [Fact]
    public async Task Add_WithTheConfirmedFingerprint_StoresTheMemberVerified_AndRefusesAnotherKey()
    {
        var refused = await Assert.ThrowsAsync<UserFacingException>(() => AddAsync(TestKeys.FixtureBytes("rsa3072"), "rsa3072@example.org",
            new MemberOptions(ExpectedFingerprint: new Fingerprint(TestKeys.Expected("rsa4096").Primary))));
        Assert.Contains("no key in key.asc has the fingerprint", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Membership.ListAsync(ListName));

        var added = await AddAsync(TestKeys.FixtureBytes("rsa3072"), "rsa3072@example.org",
            new MemberOptions(ExpectedFingerprint: new Fingerprint(TestKeys.Expected("rsa3072").Primary), Actor: "camille"));

        Assert.True(added.Member.IsVerified);
        Assert.True(Assert.Single(await Membership.ListAsync(ListName)).Member.IsVerified);
    }

    [Fact]
    public async Task Preview_StoresNothing()
    {
        var preview = await Membership.PreviewAsync(ListName, "rsa3072@example.org", TestKeys.FixtureBytes("rsa3072"), "key.asc", new MemberOptions());

        Assert.Equal(KeyImportOutcome.Added, preview.Outcome);
        Assert.Empty(await Membership.ListAsync(ListName));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Remove_IsLogged_WithTheKeyTheMemberHad()
    {
        await AddAsync(TestKeys.FixtureBytes("ed25519"), "ed25519@example.org");

        await Membership.RemoveAsync(ListName, "ed25519@example.org", "camille");

        var entry = (await AuditAsync())[^1];
        Assert.Equal((AuditActions.MemberRemoved, "camille", TestKeys.Expected("ed25519").Primary), (entry.Action, entry.Actor, entry.OldFingerprint));
    }
}
