using Org.BouncyCastle.Bcpg;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

public class KeyAssessorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("rsa4096")]
    [InlineData("ed25519")]
    [InlineData("sq-cv25519")]
    [InlineData("twouid")]
    [InlineData("twosub")]
    [InlineData("list")]
    public void Assess_AcceptsFixture_AndEncryptsToExactlyTheSubkeysListedInKeysTsv(string name)
    {
        var (primary, encryptionSubkeys) = TestKeys.Expected(name);

        var assessment = KeyAssessor.Assess(TestKeys.Fixture(name), Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Null(assessment.Problem);
        Assert.Equal(primary, assessment.Fingerprint.Hex);
        Assert.Equal(
            encryptionSubkeys.Order(StringComparer.Ordinal),
            assessment.EncryptionKeys.Select(k => Fingerprint.Of(k).Hex).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Assess_UsesOnlyTheCv25519Subkey_OfASequoiaKeyWithSigningAndAuthenticationSubkeys()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("sq-cv25519"), Now);

        var key = Assert.Single(assessment.EncryptionKeys);
        Assert.Equal("AA365642623542FF1E8F17D030CCCAFA4064A6DD", Fingerprint.Of(key).Hex);
        Assert.Equal("Cv25519", KeyAlgorithmName.Of(key));
        Assert.Equal(4, assessment.Subkeys.Count);
        Assert.Equal(3, assessment.Subkeys.Count(s => !s.CanEncrypt));
    }

    [Fact]
    public void Assess_UsesBothValidEncryptionSubkeys_OfTwosub()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("twosub"), Now);

        Assert.Equal(["Cv25519", "RSA-3072"], assessment.EncryptionKeys.Select(KeyAlgorithmName.Of).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Assess_RefusesExpiredKey_NamingTheExpiryDate()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("expired"), Now);

        Assert.Equal(KeyStatus.Expired, assessment.Status);
        Assert.False(assessment.Status.CanReceive());
        Assert.Contains("2020-12-31", assessment.Problem, StringComparison.Ordinal);
        Assert.Contains("expired", assessment.Problem, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2020, 12, 31, 0, 0, 0, TimeSpan.Zero), assessment.Expires);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Fact]
    public void Assess_RefusesKey_WhenItsOnlyEncryptionSubkeyHasExpired()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("expired-subkey"), Now);

        Assert.Equal(KeyStatus.Expired, assessment.Status);
        Assert.Contains("every encryption subkey has expired", assessment.Problem, StringComparison.Ordinal);
        Assert.Contains("2020-12-31", assessment.Problem, StringComparison.Ordinal);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Fact]
    public void Assess_RefusesRevokedKey()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("revoked"), Now);

        Assert.Equal(KeyStatus.Revoked, assessment.Status);
        Assert.StartsWith("the key was revoked on ", assessment.Problem, StringComparison.Ordinal);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Fact]
    public void Assess_RefusesSigningOnlyKey_AsHavingNoEncryptionKey()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("signonly"), Now);

        Assert.Equal(KeyStatus.NoEncryptionKey, assessment.Status);
        Assert.Contains("no encryption-capable", assessment.Problem, StringComparison.Ordinal);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Theory]
    [InlineData("camille")]
    [InlineData("dominique")]
    [InlineData("sacha")]
    [InlineData("list")]
    public void Assess_AcceptsEachDemoKey(string name)
    {
        var assessment = KeyAssessor.Assess(TestKeys.Demo(name), Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Single(assessment.EncryptionKeys);
    }

    [Fact]
    public void Assess_ReadsAccentedUserIdAsUtf8()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Demo("list"), Now);

        Assert.Equal(["AG démo SecureMinutes <ag-demo@lists.example.test>"], assessment.UserIds);
    }

    [Fact]
    public void Assess_AcceptsRsa2048()
    {
        var ring = TestKeyBuilder.Create("Rsa 2048 <rsa2048@example.org>", Now).WithRsaPrimary(2048).WithRsaSubkey(2048).Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Equal("RSA-2048", KeyAlgorithmName.Of(Assert.Single(assessment.EncryptionKeys)));
    }

    [Fact]
    public void Assess_RefusesRsa1024_AsTooWeak()
    {
        var ring = TestKeyBuilder.Create("Rsa 1024 <rsa1024@example.org>", Now).WithRsaPrimary(1024).WithRsaSubkey(1024).Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.False(assessment.Status.CanReceive());
        Assert.Contains("RSA-1024 is too weak", assessment.Problem, StringComparison.Ordinal);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Fact]
    public void Assess_FlagsKeyExpiringInTenDays_AsExpiringSoonButUsable()
    {
        var expires = Now.AddDays(10);
        var ring = TestKeyBuilder.Create("Soon <soon@example.org>", Now).Expiring(expires).WithCv25519Subkey().Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.ExpiringSoon, assessment.Status);
        Assert.True(assessment.Status.CanReceive());
        Assert.Single(assessment.EncryptionKeys);
        Assert.NotNull(assessment.Expires);
        Assert.InRange(assessment.Expires.Value, expires.AddSeconds(-2), expires.AddSeconds(2));
    }

    [Fact]
    public void Assess_FlagsKey_WhoseEncryptionSubkeyExpiresInTenDays_AsExpiringSoon()
    {
        var expires = Now.AddDays(10);
        var ring = TestKeyBuilder.Create("Soon <soon@example.org>", Now).WithCv25519Subkey(expires).Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.ExpiringSoon, assessment.Status);
        Assert.NotNull(assessment.Expires);
        Assert.InRange(assessment.Expires.Value, expires.AddSeconds(-2), expires.AddSeconds(2));
    }

    [Fact]
    public void Assess_DoesNotFlagKeyExpiringInAYear()
    {
        var ring = TestKeyBuilder.Create("Later <later@example.org>", Now).Expiring(Now.AddDays(365)).WithCv25519Subkey().Build();

        Assert.Equal(KeyStatus.Usable, KeyAssessor.Assess(ring, Now).Status);
    }

    [Fact]
    public void Assess_SkipsRevokedSubkey_AndUsesTheOtherOne()
    {
        var ring = TestKeyBuilder.Create("Rotated <rotated@example.org>", Now)
            .WithCv25519Subkey(revoked: (RevocationReasonTag.KeySuperseded, "replaced by a new subkey"))
            .WithCv25519Subkey()
            .Build();
        var subkeyIds = ring.GetPublicKeys().Skip(1).Select(k => k.KeyId).ToList();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Equal(subkeyIds[1], Assert.Single(assessment.EncryptionKeys).KeyId);
        var revoked = assessment.Subkeys.Single(s => s.Key.KeyId == subkeyIds[0]);
        Assert.False(revoked.IsUsableForEncryption);
        Assert.StartsWith("revoked on ", revoked.Unusable, StringComparison.Ordinal);
        Assert.Contains("key superseded: replaced by a new subkey", revoked.Unusable, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_RefusesKey_WhenEveryEncryptionSubkeyIsRevoked()
    {
        var ring = TestKeyBuilder.Create("Gone <gone@example.org>", Now)
            .WithCv25519Subkey(revoked: (RevocationReasonTag.KeyCompromised, "laptop stolen"))
            .Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.Revoked, assessment.Status);
        Assert.Empty(assessment.EncryptionKeys);
    }

    [Fact]
    public void HasUserIdFor_MatchesTheSecondUserId_IgnoringCase()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("twouid"), Now);

        Assert.Equal(2, assessment.UserIds.Count);
        Assert.True(assessment.HasUserIdFor("twouid-a@example.org"));
        Assert.True(assessment.HasUserIdFor("TwoUID-B@Example.ORG"));
        Assert.False(assessment.HasUserIdFor("twouid-c@example.org"));
        Assert.False(assessment.HasUserIdFor("twouid-b@example.org.evil.test"));
    }

    [Fact]
    public void Assess_DoesNotListRevokedUserId()
    {
        var ring = TestKeyBuilder.Create("Still Here <here@example.org>", Now)
            .WithRevokedUserId("Former Role <former@example.org>")
            .WithCv25519Subkey()
            .Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Equal(["Still Here <here@example.org>"], assessment.UserIds);
        Assert.False(assessment.HasUserIdFor("former@example.org"));
    }

    [Fact]
    public void Assess_ListsAnAddedUserId_CertifiedBySelfSignature()
    {
        var ring = TestKeyBuilder.Create("First <first@example.org>", Now)
            .WithUserId("Second <second@example.org>")
            .WithCv25519Subkey()
            .Build();

        var assessment = KeyAssessor.Assess(ring, Now);

        Assert.True(assessment.HasUserIdFor("second@example.org"));
        Assert.Equal(2, assessment.UserIds.Count);
    }

    [Fact]
    public void Assess_TreatsAUserIdCertificationNamingAnUnverifiableAlgorithm_AsInvalid()
    {
        // The certification claims ElGamal: BouncyCastle cannot even build a verifier ("SHA512withElGamal").
        var data = TestKeys.Fixture("ed25519").GetEncoded();
        var packets = Packets.Walk(data);
        var userId = packets.ToList().FindIndex(p => p.Tag == Packets.UserId);
        var certification = packets[userId + 1];
        Assert.Equal(Packets.Signature, certification.Tag);
        data[certification.BodyStart + 2] = 16;

        var assessment = KeyAssessor.Assess(new Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing(data), Now);

        Assert.Equal(KeyStatus.Invalid, assessment.Status);
        Assert.Contains("no valid", assessment.Problem, StringComparison.Ordinal);
    }
}
