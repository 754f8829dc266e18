using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

public class ListKeyGeneratorTests
{
    private const string UserId = "AG démo <x@y.test>";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly PgpSecretKeyRing _secret = ListKeyGenerator.Generate(UserId, Now);

    [Fact]
    public void Generate_MakesAnEd25519SigningPrimary_AndACv25519EncryptionSubkey()
    {
        var keys = _secret.GetPublicKeys().ToList();

        Assert.Equal(2, keys.Count);
        var primary = keys[0];
        Assert.True(primary.IsMasterKey);
        Assert.Equal(4, primary.Version);
        Assert.Equal(PublicKeyAlgorithmTag.EdDsa_Legacy, primary.Algorithm);
        Assert.Equal("Ed25519", KeyAlgorithmName.Of(primary));
        var selfSignature = Assert.Single(primary.GetSignaturesOfType(PgpSignature.PositiveCertification));
        Assert.Equal(PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign, selfSignature.GetHashedSubPackets().GetKeyFlags());

        var subkey = keys[1];
        Assert.False(subkey.IsMasterKey);
        Assert.Equal(PublicKeyAlgorithmTag.ECDH, subkey.Algorithm);
        Assert.Equal("Cv25519", KeyAlgorithmName.Of(subkey));
        var binding = Assert.Single(subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding));
        Assert.Equal(PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage, binding.GetHashedSubPackets().GetKeyFlags());
    }

    [Fact]
    public void Generate_StoresTheUserIdAsGiven_InUtf8()
    {
        var raw = Assert.Single(_secret.GetPublicKey().GetRawUserIds());

        Assert.Equal(Encoding.UTF8.GetBytes(UserId), raw);
    }

    [Fact]
    public void Generate_DatesTheKeyToTheWholeSecond_OfNow()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds()).UtcDateTime, _secret.GetPublicKey().CreationTime);
    }

    [Fact]
    public void PublicRing_IsAssessedUsable_WithTheUserIdAndTheCv25519Subkey()
    {
        var assessment = KeyAssessor.Assess(ListKeyGenerator.PublicRing(_secret), Now);

        Assert.Equal(KeyStatus.Usable, assessment.Status);
        Assert.Null(assessment.Expires);
        Assert.Equal([UserId], assessment.UserIds);
        Assert.True(assessment.HasUserIdFor("X@Y.test"));
        Assert.Equal(_secret.GetPublicKeys().Last().KeyId, Assert.Single(assessment.EncryptionKeys).KeyId);
    }

    [Fact]
    public void PublicRing_HoldsNoSecretMaterial_AndParsesBack()
    {
        var encoded = ListKeyGenerator.PublicRing(_secret).GetEncoded();

        var tags = Packets.Walk(encoded).Select(p => p.Tag).ToList();
        Assert.Equal([Packets.PublicKey, Packets.UserId, Packets.Signature, Packets.PublicSubkey, Packets.Signature], tags);
        Assert.DoesNotContain(Packets.SecretKey, tags);
        Assert.DoesNotContain(Packets.SecretSubkey, tags);

        var parsed = Assert.Single(PublicKeyReader.Read(encoded, "list.pub"));
        Assert.Equal(Fingerprint.Of(_secret.GetPublicKey()), Fingerprint.Of(parsed.GetPublicKey()));
        Assert.Equal(
            _secret.GetPublicKeys().Select(k => k.KeyId),
            parsed.GetPublicKeys().Select(k => k.KeyId));
    }

    [Fact]
    public void Generate_MakesADifferentKeyEachTime()
    {
        var other = ListKeyGenerator.Generate(UserId, Now);

        Assert.NotEqual(Fingerprint.Of(_secret.GetPublicKey()), Fingerprint.Of(other.GetPublicKey()));
    }

    [Fact]
    public void Gpg_ImportsThePublicRing_AsEd25519WithACv25519Subkey()
    {
        var armored = Armor(ListKeyGenerator.PublicRing(_secret).GetEncoded());
        using var gpg = new GnuPG();

        var shown = gpg.Run(armored, "--with-colons", "--import-options", "show-only", "--import");

        Assert.True(shown.ExitCode == 0, shown.Error);
        var records = shown.Output.Split('\n').Select(l => l.Split(':')).ToList();
        var pub = Assert.Single(records, r => r[0] == "pub");
        Assert.Equal("22", pub[3]);        // EdDSA
        Assert.Equal("ed25519", pub[16]);
        Assert.Contains('s', pub[11]);
        Assert.Contains('c', pub[11]);
        var sub = Assert.Single(records, r => r[0] == "sub");
        Assert.Equal("18", sub[3]);        // ECDH
        Assert.Equal("cv25519", sub[16]);
        Assert.Equal("e", sub[11]);
        var fpr = records.First(r => r[0] == "fpr");
        Assert.Equal(Fingerprint.Of(_secret.GetPublicKey()).Hex, fpr[9]);

        // A real import too: gpg accepts the self-signatures and shows the accented user id.
        var imported = gpg.Run(armored, "--import");
        Assert.True(imported.ExitCode == 0, imported.Error);
        var listed = gpg.Run([], "--with-colons", "--list-keys");
        var uid = Assert.Single(listed.Output.Split('\n').Select(l => l.Split(':')), r => r[0] == "uid");
        Assert.Equal("AG démo <x@y.test>", uid[9]);
        Assert.NotEqual("r", uid[1]);
        Assert.NotEqual("i", uid[1]);
    }

    private static byte[] Armor(byte[] binary)
    {
        using var buffer = new MemoryStream();
        using (var armored = new ArmoredOutputStream(buffer, false))
        {
            armored.Write(binary);
        }

        return buffer.ToArray();
    }
}
