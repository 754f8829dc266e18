using Org.BouncyCastle.Bcpg;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>
/// A refusal's code (what the web pages word in their reader's language) agrees with its English message (what the CLI
/// prints, unchanged), for the peer checker's fixture keys and built ones.
/// </summary>
public class KeyProblemCodeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData("expired", KeyProblemCode.Expired)]
    [InlineData("expired-subkey", KeyProblemCode.Expired)]
    [InlineData("revoked", KeyProblemCode.Revoked)]
    [InlineData("signonly", KeyProblemCode.NoEncryptionSubkey)]
    public void UnusableFixtureKeys_HaveTheCodeOfTheirProblem(string name, KeyProblemCode code)
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture(name), Now);

        Assert.NotNull(assessment.Problem);
        Assert.Equal(code, assessment.ProblemCode?.Code);
    }

    [Fact]
    public void AnExpiredKey_CarriesTheDateItsMessageNames()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("expired"), Now);

        Assert.Contains("2020-12-31", assessment.Problem, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2020, 12, 31), DateOnly.FromDateTime(assessment.ProblemCode!.On!.Value.UtcDateTime));
    }

    [Fact]
    public void AKeyWhoseOnlyEncryptionSubkeyExpired_CarriesThatSubkeysExpiry()
    {
        var expired = Now.AddDays(-3);
        var ring = TestKeyBuilder.Create("Sub <sub@example.org>", Now.AddDays(-30)).WithCv25519Subkey(expired).Build();

        var problem = KeyAssessor.Assess(ring, Now).ProblemCode;

        Assert.Equal(KeyProblemCode.Expired, problem?.Code);
        Assert.InRange(problem!.On!.Value, expired.AddSeconds(-2), expired.AddSeconds(2));
    }

    [Fact]
    public void Rsa1024_IsWeakRsa_WithItsSize()
    {
        var ring = TestKeyBuilder.Create("Rsa 1024 <rsa1024@example.org>", Now).WithRsaPrimary(1024).WithRsaSubkey(1024).Build();

        Assert.Equal(new KeyProblem(KeyProblemCode.WeakRsa, Detail: "1024"), KeyAssessor.Assess(ring, Now).ProblemCode);
    }

    [Fact]
    public void ARevokedEncryptionSubkey_IsRevoked()
    {
        var ring = TestKeyBuilder.Create("Rev <rev@example.org>", Now).WithCv25519Subkey(revoked: (RevocationReasonTag.KeyCompromised, "lost phone")).Build();

        Assert.Equal(KeyProblemCode.Revoked, KeyAssessor.Assess(ring, Now).ProblemCode?.Code);
    }

    [Fact]
    public void AUsableKey_HasNoProblemCode()
    {
        Assert.Null(KeyAssessor.Assess(TestKeys.Fixture("rsa3072"), Now).ProblemCode);
    }

    [Fact]
    public void AKeyForAnotherAddress_IsNotForThisAddress_AndTheMessageIsTheCliOne()
    {
        var assessment = KeyAssessor.Assess(TestKeys.Fixture("rsa3072"), Now);

        var judged = KeyAcceptance.Judge(assessment, "camille@example.org", allowUserIdMismatch: false);

        Assert.Equal(new KeyProblem(KeyProblemCode.NotForThisAddress, Detail: "RSA3072 Test <rsa3072@example.org>"), judged?.Problem);
        Assert.Equal(KeyAcceptance.Refusal(assessment, "camille@example.org", allowUserIdMismatch: false), judged?.Message);
        Assert.StartsWith($"key {assessment.Fingerprint.Hex} refused: camille@example.org is not in any of its valid user ids", judged?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadingASecretKeyOrNoKey_ThrowsTheSameUserFacingException_WithItsCode()
    {
        var secret = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(TestKeys.FixtureBytes("ed25519", secret: true), "mine.asc"));
        Assert.Equal(KeyProblemCode.SecretKey, secret.KeyProblem?.Code);
        Assert.StartsWith("mine.asc is a SECRET key", secret.Message, StringComparison.Ordinal);

        var text = Assert.Throws<UserFacingException>(() => KeyFileReader.Read("my key"u8.ToArray(), "pasted"));
        Assert.Equal(KeyProblemCode.NotAKey, text.KeyProblem?.Code);
    }
}
