using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// Loads the fixture and demo keys with plain BouncyCastle, independently of <see cref="Keys.PublicKeyReader"/>
/// (which is under test itself).
/// </summary>
internal static class TestKeys
{
    public static string FixturePath(string name, bool secret = false) =>
        Path.Combine(TestPaths.FixtureKeys, name + (secret ? ".sec.asc" : ".pub.asc"));

    public static byte[] FixtureBytes(string name, bool secret = false) => File.ReadAllBytes(FixturePath(name, secret));

    public static PgpPublicKeyRing Fixture(string name) => ReadPublic(FixturePath(name));

    public static PgpSecretKeyRing FixtureSecret(string name) => ReadSecret(FixturePath(name, secret: true));

    public static PgpPublicKeyRing Demo(string name) => ReadPublic(Path.Combine(TestPaths.DemoKeys, name + ".pub.asc"));

    public static PgpSecretKeyRing DemoSecret(string name) => ReadSecret(Path.Combine(TestPaths.DemoKeys, name + ".sec.asc"));

    /// <summary>The primary fingerprint and valid encryption subkeys of each fixture, as <c>keys.tsv</c> records them.</summary>
    public static (string Primary, string[] EncryptionSubkeys) Expected(string name)
    {
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.FixtureKeys, "keys.tsv")).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields[0] == name)
            {
                return (fields[1], fields[2] == "-" ? [] : fields[2].Split(','));
            }
        }

        throw new InvalidOperationException($"{name} is not in keys.tsv");
    }

    private static PgpPublicKeyRing ReadPublic(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpPublicKeyRingBundle(stream).GetKeyRings().Single();
    }

    private static PgpSecretKeyRing ReadSecret(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
    }
}
