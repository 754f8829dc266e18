using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>
/// A key judged once and read later must read as a fresh judgement at that later time would: the stored summary,
/// with time applied, against <see cref="KeyAssessor"/> run again, at moments before and after every expiry.
/// </summary>
public class KeySummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    // The options summaries were stored with before their serializer was generated at build time.
    private static readonly System.Text.Json.JsonSerializerOptions ReflectionJson =
        new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static TheoryData<string> Keys() =>
    [
        "fixture:rsa3072", "fixture:ed25519", "fixture:twosub", "fixture:expired", "fixture:expired-subkey",
        "fixture:revoked", "fixture:signonly", "fixture:sq-cv25519",
        "primary expires in 40 days", "one of two subkeys expires in 10 days", "both subkeys expire, 5 and 50 days",
        "a revoked subkey and one expiring in 20 days", "weak subkey and one expiring in 3 days",
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public void StoredJson_IsWhatTheReflectionSerializerWrote_SoSummariesStoredBeforeTheGeneratedOneReadUnchanged(string name)
    {
        var bytes = Build(name).GetEncoded();
        var summary = KeySummary.Of(KeyAssessor.Assess(Build(name), Now), bytes);
        var earlier = System.Text.Json.JsonSerializer.Serialize(summary, ReflectionJson);

        Assert.Equal(earlier, summary.ToJson());
        Assert.Equal(earlier, KeySummary.FromJson(earlier)!.ToJson());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Status\":0,\"Subkeys\":[{\"KeyId\":\"410F429EA1EAF46F\"}]}")]
    [InlineData("{\"Subkeys\":[],\"CertificateSha256\":\"AB\"}")]
    [InlineData("{\"Status\":0,\"Subkeys\":[{\"Expires\":null}],\"CertificateSha256\":\"AB\"}")]
    [InlineData("{\"Status\":\"Usable\",\"Subkeys\":[],\"CertificateSha256\":\"AB\"}")]
    [InlineData("{\"Status\":0,\"Expires\":\"soon\",\"Subkeys\":[],\"CertificateSha256\":\"AB\"}")]
    public void StoredJsonThatCannotBeRead_GivesNoSummary_SoTheKeyIsJudgedAfresh(string json)
    {
        Assert.Null(KeySummary.FromJson(json));
    }

    [Fact]
    public void StoredJson_WithAPropertyThisVersionDoesNotKnow_StillReads()
    {
        var summary = KeySummary.FromJson("""{"Status":0,"Later":{"a":[1,2]},"Subkeys":[{"KeyId":"410F429EA1EAF46F","Note":"x","Expires":"2027-01-02T03:04:05+00:00"}],"CertificateSha256":"AB"}""");

        Assert.NotNull(summary);
        Assert.Equal(KeyStatus.Usable, summary.Status);
        Assert.Equal("410F429EA1EAF46F", Assert.Single(summary.Subkeys).KeyId);
        Assert.Equal(new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero), summary.Subkeys[0].Expires);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void SummaryReadLater_MatchesAFreshJudgementThen(string name)
    {
        var ring = Build(name);
        var bytes = ring.GetEncoded();
        var summary = KeySummary.FromJson(KeySummary.Of(KeyAssessor.Assess(ring, Now), bytes).ToJson())!;

        foreach (var days in new[] { 0, 1, 4, 6, 9, 11, 19, 21, 29, 31, 39, 41, 49, 51, 400 })
        {
            var later = Now.AddDays(days);
            var fresh = KeyAssessor.Assess(ring, later);
            var read = summary.At(later);
            Assert.True((fresh.Status, fresh.Problem, fresh.Expires) == (read.Status, read.Problem, read.Expires),
                $"{name} at +{days} days: fresh {fresh.Status} '{fresh.Problem}' {fresh.Expires}, summary {read.Status} '{read.Problem}' {read.Expires}");
            Assert.Equal(fresh.EncryptionKeys.Select(k => k.KeyId).Order(), read.EncryptionKeyIds.Order());
        }
    }

    [Fact]
    public void Summary_BelongsToTheExactCertificateBytes()
    {
        var ring = TestKeys.Fixture("rsa3072");
        var summary = KeySummary.Of(KeyAssessor.Assess(ring, Now), ring.GetEncoded());

        Assert.True(summary.IsFor(ring.GetEncoded()));
        Assert.False(summary.IsFor(TestKeys.Fixture("ed25519").GetEncoded()));
    }

    [Fact]
    public void EncryptionKeys_AreTakenFromTheStoredCertificateById()
    {
        var ring = TestKeys.Fixture("twosub");
        var state = KeySummary.Of(KeyAssessor.Assess(ring, Now), ring.GetEncoded()).At(Now);

        Assert.Equal(KeyAssessor.Assess(ring, Now).EncryptionKeys.Select(k => k.KeyId).Order(),
            state.EncryptionKeysIn(new PgpPublicKeyRing(ring.GetEncoded())).Select(k => k.KeyId).Order());
    }

    private static PgpPublicKeyRing Build(string name) => name switch
    {
        _ when name.StartsWith("fixture:", StringComparison.Ordinal) => TestKeys.Fixture(name["fixture:".Length..]),
        "primary expires in 40 days" => TestKeyBuilder.Create("A <a@example.org>", Now).Expiring(Now.AddDays(40)).WithCv25519Subkey().Build(),
        "one of two subkeys expires in 10 days" => TestKeyBuilder.Create("B <b@example.org>", Now)
            .WithCv25519Subkey(Now.AddDays(10)).WithCv25519Subkey().Build(),
        "both subkeys expire, 5 and 50 days" => TestKeyBuilder.Create("C <c@example.org>", Now)
            .WithCv25519Subkey(Now.AddDays(5)).WithCv25519Subkey(Now.AddDays(50)).Build(),
        "a revoked subkey and one expiring in 20 days" => TestKeyBuilder.Create("D <d@example.org>", Now)
            .WithCv25519Subkey(revoked: (RevocationReasonTag.KeySuperseded, "new one")).WithCv25519Subkey(Now.AddDays(20)).Build(),
        "weak subkey and one expiring in 3 days" => TestKeyBuilder.Create("E <e@example.org>", Now)
            .WithRsaSubkey(1024, Now.AddDays(30)).WithCv25519Subkey(Now.AddDays(3)).Build(),
        _ => throw new ArgumentException(name),
    };
}
