using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Parameters;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>
/// A member's SECRET key, however it is handed to SecureMinutes (armored, binary, attached to a mail, in a
/// keyring or a CSV for bulk import, in a dry run), is refused and not one byte of it is stored: the whole
/// data dir (databases, their WAL, Hangfire's store, the vault) is searched for the key material.
/// </summary>
public sealed class SecretKeyTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _work = new();
    private CliRunner _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = new CliRunner(_work.Combine("data"));
        await _cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");
        await _cli.SucceedAsync("member", "add", "ag", "twosub@example.org", "--key", RepoPaths.FixtureKey("twosub.pub.asc"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task ASecretKey_IsRefusedWhateverWayItComes_AndNothingOfItIsStoredAnywhereInTheDataDir()
    {
        var rsaArmored = RepoPaths.FixtureKey("rsa3072.sec.asc");
        var edArmored = RepoPaths.FixtureKey("ed25519.sec.asc");
        var rsaBinary = _work.Combine("rsa3072.sec.gpg");
        await File.WriteAllBytesAsync(rsaBinary, ReadSecret(rsaArmored).GetEncoded());
        var mail = _work.Combine("cle.eml");
        await File.WriteAllBytesAsync(mail, KeyMail.ThunderbirdAttachedKey(await File.ReadAllTextAsync(edArmored), "EE89DCF4DBCFB9A4", base64: false));
        var keyring = _work.Combine("ag-keyring.asc");
        await File.WriteAllTextAsync(keyring, await File.ReadAllTextAsync(RepoPaths.FixtureKey("rsa4096.pub.asc")) + await File.ReadAllTextAsync(rsaArmored));
        var csv = _work.Combine("ag.csv");
        File.Copy(edArmored, _work.Combine("dominique.asc"));
        await File.WriteAllTextAsync(csv, "email,keyfile\ndominique@example.org,dominique.asc\n");

        await RefusedAsync(1, "member", "add", "ag", "rsa3072@example.org", "--key", rsaArmored);
        await RefusedAsync(1, "member", "add", "ag", "rsa3072@example.org", "--key", rsaBinary);
        await RefusedAsync(1, "member", "add", "ag", "ed25519@example.org", "--key", mail);
        await RefusedAsync(1, "member", "add", "ag", "ed25519@example.org", "--key", edArmored, "--dry-run");
        await RefusedAsync(1, "member", "add", "ag", "twosub@example.org", "--key", rsaArmored, "--replace", "--allow-uid-mismatch");
        await RefusedAsync(1, "member", "import", "ag", keyring);
        var csvImport = await _cli.RunAsync("member", "import", "ag", csv);
        Assert.Equal(4, csvImport.ExitCode);
        Assert.Contains("SECRET key", csvImport.Stdout, StringComparison.Ordinal);

        var members = (await _cli.SucceedAsync("member", "list", "ag", "--json")).Stdout;
        Assert.DoesNotContain("rsa3072", members, StringComparison.Ordinal);
        Assert.DoesNotContain("ed25519", members, StringComparison.Ordinal);
        Assert.DoesNotContain("dominique", members, StringComparison.Ordinal);

        var rsa = ReadSecret(rsaArmored);
        var ed = ReadSecret(edArmored);
        var needles = new List<byte[]>
        {
            Encoding.ASCII.GetBytes("PRIVATE KEY"),
            ((RsaPrivateCrtKeyParameters)rsa.GetSecretKey().ExtractPrivateKey([]).Key).Exponent.ToByteArrayUnsigned(),
            ((RsaPrivateCrtKeyParameters)rsa.GetSecretKeys().Last().ExtractPrivateKey([]).Key).P.ToByteArrayUnsigned(),
            ed.GetSecretKey().ExtractPrivateKey([]).Key is Ed25519PrivateKeyParameters edSecret ? edSecret.GetEncoded() : RawSecret(ed.GetSecretKey()),
            // OpenPGP stores a Curve25519 secret as a big-endian number: the native bytes reversed.
            ed.GetSecretKeys().Last().ExtractPrivateKey([]).Key is X25519PrivateKeyParameters xSecret ? xSecret.GetEncoded().Reverse().ToArray() : RawSecret(ed.GetSecretKeys().Last()),
        };
        // The search is not vacuous: each piece of key material is in the secret keys as OpenPGP encodes them.
        var encoded = rsa.GetEncoded().Concat(ed.GetEncoded()).ToArray();
        Assert.All(needles.Skip(1), n => Assert.True(encoded.AsSpan().IndexOf(n) >= 0));
        // The armored secret as the files carry it: a line of base64 from the secret part.
        needles.AddRange(SecretOnlyLines(rsaArmored).Concat(SecretOnlyLines(edArmored)).Select(Encoding.ASCII.GetBytes));
        Assert.Empty(DataDirScan.FilesContaining(_cli.DataDir, [.. needles]));
        // Not even the refused keys' fingerprints were recorded (the audit log only holds changes made).
        Assert.Empty(DataDirScan.FilesContaining(_cli.DataDir, "5BCC8513CF577ABB85231A7647F55490E6F4FA02"));
        Assert.Empty(DataDirScan.FilesContaining(_cli.DataDir, "86716760B68067FCC837EEC3EE89DCF4DBCFB9A4"));
    }

    private async Task RefusedAsync(int exitCode, params string[] arguments)
    {
        var result = await _cli.RunAsync(arguments);
        Assert.True(result.ExitCode == exitCode, $"secureminutes {string.Join(' ', arguments)}\n{result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is a SECRET key: send only the public key", line, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN PGP", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    private static PgpSecretKeyRing ReadSecret(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
    }

    private static byte[] RawSecret(PgpSecretKey key) => key.GetEncoded()[^32..];

    /// <summary>Base64 lines of the secret key file that its public key file does not have.</summary>
    private static IEnumerable<string> SecretOnlyLines(string secretPath)
    {
        var publicLines = File.ReadAllLines(secretPath.Replace(".sec.asc", ".pub.asc", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        return File.ReadAllLines(secretPath).Where(l => l.Length == 64 && !publicLines.Contains(l)).Take(5);
    }
}
