using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>What <c>key show</c> and <c>member add --dry-run</c> print for every kind of fixture key.</summary>
public sealed class KeyInspectionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static KeyInspection Inspect(string name) => KeyInspection.Of(new FoundCertificate(TestKeys.Fixture(name), name + ".pub.asc"), Now);

    [Fact]
    public void Lines_GroupTheFingerprintInFours_AndMarkBothEncryptionSubkeysOfTwosub()
    {
        var lines = Inspect("twosub").Lines().ToList();

        Assert.Equal("Key 6869 366C 848A 745F 15F0 B1AF 0A7C CC83 1DA2 B699", lines[0]);
        Assert.Contains(lines, l => l.Contains("Status:      usable, no expiry", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.EndsWith(": used for encryption", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("Cv25519", StringComparison.Ordinal) && l.Contains("[encrypt]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("RSA-3072", StringComparison.Ordinal) && l.Contains("created 2024-01-01", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_ShowWhySequoiasSigningAndAuthenticationSubkeysAreNotUsed()
    {
        var inspection = Inspect("sq-cv25519");

        Assert.Equal(4, inspection.Keys.Count);
        Assert.Single(inspection.Keys, k => k.UsedForEncryption && k.Algorithm == "Cv25519");
        Assert.Contains(inspection.Keys, k => k.Usage == "sign" && k.Verdict == "not for encryption");
        Assert.Contains(inspection.Keys, k => k.Usage == "authenticate" && k.Verdict == "not for encryption");
        Assert.Equal("certify", inspection.Keys[0].Usage);
    }

    [Fact]
    public void Lines_SayTheExpiredSubkeyIsNotUsed_AndWhy()
    {
        var inspection = Inspect("expired-subkey");

        Assert.StartsWith("REFUSED: every encryption subkey has expired", inspection.StatusLine, StringComparison.Ordinal);
        Assert.Contains(inspection.Keys, k => k.Verdict == "not used: expired on 2020-12-31");
        Assert.Contains("No mail can be encrypted to this key.", inspection.Lines().Select(l => l.Trim()));
    }

    [Theory]
    [InlineData("revoked", "REFUSED: the key was revoked on")]
    [InlineData("expired", "REFUSED: the key expired on 2020-12-31")]
    [InlineData("signonly", "REFUSED: the key has no encryption-capable")]
    public void Lines_ExplainARefusedKey_AndStillListItsKeys(string name, string status)
    {
        var inspection = Inspect(name);

        Assert.StartsWith(status, inspection.StatusLine, StringComparison.Ordinal);
        Assert.NotEmpty(inspection.Keys);
        Assert.DoesNotContain(inspection.Keys, k => k.UsedForEncryption);
    }

    [Theory]
    [InlineData("rsa3072", "RSA-3072")]
    [InlineData("rsa4096", "RSA-4096")]
    [InlineData("ed25519", "Ed25519")]
    [InlineData("list", "Ed25519")]
    public void Lines_NameThePrimaryAlgorithmAndSize(string name, string algorithm)
    {
        var inspection = Inspect(name);

        Assert.Equal(algorithm, inspection.Keys[0].Algorithm);
        Assert.Equal(TestKeys.Expected(name).EncryptionSubkeys, inspection.Keys.Where(k => k.UsedForEncryption).Select(k => k.Fingerprint));
    }

    [Fact]
    public void Lines_ListBothUserIdsOfTwouid()
    {
        var lines = Inspect("twouid").Lines().ToList();

        Assert.Contains(lines, l => l.Contains("twouid-a@example.org", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("twouid-b@example.org", StringComparison.Ordinal));
    }
}
