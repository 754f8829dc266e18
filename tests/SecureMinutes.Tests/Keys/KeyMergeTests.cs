using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>Merging newer copies of a member's key, made by the real tools members use (gpg, sq).</summary>
public sealed class KeyMergeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Merge_PicksUpTheRevocationOfASequoiaKey_WhichBouncyCastlesJoinDrops()
    {
        var stored = TestKeys.Fixture("sq-cv25519");
        var revocation = SignatureFrom(Tool.Succeed("sq", null, "revoke", "certificate", "--certificate", TestKeys.FixturePath("sq-cv25519", secret: true),
            "compromised", "phone seized at the border"));
        // Sequoia (and keys.openpgp.org, which runs it) serialise a primary key's self-signatures before its
        // revocations: the direct-key signature this key already has, then the revocation.
        var online = new PgpPublicKeyRing(PgpPublicKeyRing.InsertPublicKey(stored, PgpPublicKey.AddCertification(stored.GetPublicKey(), revocation)).GetEncoded());
        Assert.Equal(KeyStatus.Revoked, KeyAssessor.Assess(online, Now).Status);

        var joined = PgpPublicKeyRing.Join(stored, online);
        var merged = KeyMerge.Merge(stored, online);

        Assert.Equal(KeyStatus.Usable, KeyAssessor.Assess(joined, Now).Status); // why KeyMerge does not use Join
        Assert.True(merged.Changed);
        var assessment = KeyAssessor.Assess(merged.Certificate, Now);
        Assert.Equal(KeyStatus.Revoked, assessment.Status);
        Assert.Contains("key compromised: phone seized at the border", assessment.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_TakesTheExpiryGnuPGExtended_AndTheKeyIsUsableAgain()
    {
        var fingerprint = TestKeys.Expected("expired").Primary;
        using var gpg = new GnuPG();
        Gpg(gpg, TestKeys.FixtureBytes("expired", secret: true), "--import");
        Gpg(gpg, [], "--quick-set-expire", fingerprint, "2y");
        // gpg's "*" leaves expired subkeys alone: an expired one is named by its fingerprint.
        var subkey = Fingerprint.Of(TestKeys.Fixture("expired").GetPublicKeys().Single(k => !k.IsMasterKey)).Hex;
        Gpg(gpg, [], "--quick-set-expire", fingerprint, "2y", subkey);
        var extended = PublicKeyReader.Read(Encoding.ASCII.GetBytes(Gpg(gpg, [], "--export", fingerprint)), "gpg --export").Single();
        var stored = TestKeys.Fixture("expired");

        var merged = KeyMerge.Merge(stored, extended);

        var before = KeyAssessor.Assess(stored, Now);
        var after = KeyAssessor.Assess(merged.Certificate, Now);
        Assert.Equal(KeyStatus.Expired, before.Status);
        Assert.Equal(KeyStatus.Usable, after.Status);
        Assert.InRange(after.Expires!.Value, Now.AddDays(720), Now.AddDays(740));
        Assert.Contains(KeyChanges.Between(before, after), c => c.StartsWith("usable again", StringComparison.Ordinal));
        Assert.True(stored.GetPublicKeys().All(k => merged.Certificate.GetPublicKey(k.KeyId) is not null), "nothing stored is lost");
    }

    [Fact]
    public void Merge_AddsTheEncryptionSubkeyGnuPGAdded()
    {
        var fingerprint = TestKeys.Expected("ed25519").Primary;
        using var gpg = new GnuPG();
        Gpg(gpg, TestKeys.FixtureBytes("ed25519", secret: true), "--import");
        Gpg(gpg, [], "--quick-add-key", fingerprint, "cv25519", "encr", "1y");
        var updated = PublicKeyReader.Read(Encoding.ASCII.GetBytes(Gpg(gpg, [], "--export", fingerprint)), "gpg --export").Single();
        var stored = TestKeys.Fixture("ed25519");

        var merged = KeyMerge.Merge(stored, updated);

        var before = KeyAssessor.Assess(stored, Now);
        var after = KeyAssessor.Assess(merged.Certificate, Now);
        Assert.Equal(2, after.EncryptionKeys.Count());
        Assert.Contains(KeyChanges.Between(before, after), c => c.StartsWith("new encryption subkey", StringComparison.Ordinal));
    }

    [Fact]
    public void Merge_ReportsNoChange_ForTheSameCopy()
    {
        var merged = KeyMerge.Merge(TestKeys.Fixture("twosub"), TestKeys.Fixture("twosub"));

        Assert.False(merged.Changed);
        Assert.Equal(TestKeys.Fixture("twosub").GetEncoded(), merged.Certificate.GetEncoded());
    }

    [Fact]
    public void Merge_AddsNeitherThirdPartyCertifications_NorSignaturesForgedInTheKeysName()
    {
        var stored = TestKeys.Fixture("rsa3072");
        var primary = stored.GetPublicKey();
        var userId = UserIdAddress.UserIdsOf(primary).Single().Text;
        var stranger = TestKeys.FixtureSecret("list").GetSecretKey();
        var thirdParty = Certification(stranger, stranger.KeyId, userId, primary);
        // Claims to come from the key itself (issuer = its key id) but was made by someone else.
        var forged = Certification(stranger, primary.KeyId, userId, primary);
        var copy = PgpPublicKey.AddCertification(PgpPublicKey.AddCertification(primary, userId, thirdParty), userId, forged);

        var merged = KeyMerge.Merge(stored, PgpPublicKeyRing.InsertPublicKey(stored, copy));

        Assert.False(merged.Changed);
    }

    [Fact]
    public void Merge_RefusesACopyOfAnotherKey()
    {
        Assert.Throws<ArgumentException>(() => KeyMerge.Merge(TestKeys.Fixture("ed25519"), TestKeys.Fixture("rsa3072")));
    }

    [Fact]
    public void SelfSignaturesOnly_DropsThirdPartyCertifications_AndKeepsTheKeyUsable()
    {
        var stored = TestKeys.Fixture("rsa3072");
        var primary = stored.GetPublicKey();
        var userId = UserIdAddress.UserIdsOf(primary).Single().Text;
        var stranger = TestKeys.FixtureSecret("list").GetSecretKey();
        var certified = PgpPublicKeyRing.InsertPublicKey(stored, PgpPublicKey.AddCertification(primary, userId, Certification(stranger, stranger.KeyId, userId, primary)));
        Assert.Contains(certified.GetPublicKey().GetSignatures(), s => s.KeyId == stranger.KeyId);

        var minimal = SelfSignatures.Only(certified);

        Assert.DoesNotContain(minimal.GetPublicKey().GetSignatures(), s => s.KeyId == stranger.KeyId);
        Assert.Equal(stored.GetEncoded(), minimal.GetEncoded());
        Assert.Equal(KeyStatus.Usable, KeyAssessor.Assess(minimal, Now).Status);
    }

    private static string Gpg(GnuPG gpg, byte[] stdin, params string[] arguments)
    {
        var (exitCode, output, error) = gpg.Run(stdin, ["--pinentry-mode", "loopback", "--passphrase", "", "--armor", .. arguments]);
        Assert.True(exitCode == 0, $"gpg {string.Join(' ', arguments)}: {error}");
        return output;
    }

    private static PgpSignature SignatureFrom(byte[] armored)
    {
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(armored));
        return ((PgpSignatureList)new PgpObjectFactory(decoder).NextPgpObject())[0];
    }

    private static PgpSignature Certification(PgpSecretKey signer, long claimedIssuer, string userId, PgpPublicKey target)
    {
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, HashAlgorithmTag.Sha512);
        generator.InitSign(PgpSignature.DefaultCertification, signer.ExtractPrivateKey([]));
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, DateTime.UtcNow.AddMinutes(-1));
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, claimedIssuer);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator.GenerateCertification(userId, target);
    }
}
