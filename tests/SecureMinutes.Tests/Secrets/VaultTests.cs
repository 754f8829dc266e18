using System.Text.Json;
using SecureMinutes.Secrets;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Secrets;

public sealed class VaultTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _temp = new();

    private string DataDir => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private static Func<string, string?> Environment(string? passphrase = null, string? keyFile = null) => name => name switch
    {
        Vault.PassphraseVariable => passphrase,
        Vault.KeyFileVariable => keyFile,
        _ => null,
    };

    private static void AssertOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void KeyFileMode_CreatesAnOwnerOnlyKeyFile_AndVaultJson()
    {
        var vault = new Vault(DataDir, Environment());

        _ = vault.Box;

        var keyFile = _temp.File("secureminutes.key");
        Assert.Equal(32, new FileInfo(keyFile).Length);
        AssertOwnerOnly(keyFile);
        AssertOwnerOnly(_temp.File("vault.json"));
        using var json = JsonDocument.Parse(File.ReadAllBytes(_temp.File("vault.json")));
        Assert.Equal("key-file", json.RootElement.GetProperty("mode").GetString());
        Assert.StartsWith("protected by the key file", vault.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileMode_OpensWhatAnEarlierProcessSealed()
    {
        var sealedBlob = new Vault(DataDir, Environment()).Box.Seal("minutes"u8, "p");

        var reopened = new Vault(DataDir, Environment());

        Assert.Equal("minutes"u8.ToArray(), reopened.Box.Open(sealedBlob, "p"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\":1,\"mode\":\"key-file\"")]
    [InlineData("{\"version\":1,\"mode\":\"key-file\"}")]
    [InlineData("{\"version\":\"one\",\"mode\":\"key-file\",\"check\":\"AAAA\"}")]
    [InlineData("[]")]
    public void ADamagedVaultFile_IsRefusedInOneLine_NamingIt(string content)
    {
        _ = new Vault(DataDir, Environment()).Box;
        File.WriteAllText(_temp.File("vault.json"), content);

        var error = Assert.Throws<UserFacingException>(() => new Vault(DataDir, Environment()).Box);

        Assert.Equal($"{_temp.File("vault.json")} is damaged", error.Message);
    }

    [Fact]
    public void KeyFileMode_UsesTheKeyFileNamedInTheEnvironment()
    {
        var keyFile = _temp.File("elsewhere/master.key");

        var sealedBlob = new Vault(_temp.File("data"), Environment(keyFile: keyFile)).Box.Seal("minutes"u8, "p");

        Assert.True(File.Exists(keyFile));
        Assert.False(File.Exists(_temp.File("data/secureminutes.key")));
        Assert.Equal("minutes"u8.ToArray(), new Vault(_temp.File("data"), Environment(keyFile: keyFile)).Box.Open(sealedBlob, "p"));
    }

    [Fact]
    public void KeyFileMode_RefusesToOpen_WhenTheKeyFileIsMissing()
    {
        _ = new Vault(DataDir, Environment()).Box;
        File.Delete(_temp.File("secureminutes.key"));

        var ex = Assert.Throws<UserFacingException>(() => new Vault(DataDir, Environment()).Box);

        Assert.Contains("is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Vault.KeyFileVariable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileMode_RefusesAKeyFileOfAnotherDataDir()
    {
        _ = new Vault(DataDir, Environment()).Box;
        var otherKey = _temp.File("other/secureminutes.key");
        _ = new Vault(_temp.File("other"), Environment()).Box;

        var ex = Assert.Throws<UserFacingException>(() => new Vault(DataDir, Environment(keyFile: otherKey)).Box);

        Assert.Contains("does not belong to this data dir", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PassphraseMode_RoundTrips_WithTheSamePassphrase_AndWritesNoKeyFile()
    {
        var sealedBlob = new Vault(DataDir, Environment("correct horse battery staple")).Box.Seal("minutes"u8, "p");

        var reopened = new Vault(DataDir, Environment("correct horse battery staple"));

        Assert.Equal("minutes"u8.ToArray(), reopened.Box.Open(sealedBlob, "p"));
        Assert.False(File.Exists(_temp.File("secureminutes.key")));
        Assert.Equal(["vault.json"], Directory.GetFiles(DataDir).Select(Path.GetFileName));
        AssertOwnerOnly(_temp.File("vault.json"));
        using var json = JsonDocument.Parse(File.ReadAllBytes(_temp.File("vault.json")));
        Assert.Equal("passphrase", json.RootElement.GetProperty("mode").GetString());
        Assert.Equal("argon2id", json.RootElement.GetProperty("kdf").GetString());
        Assert.DoesNotContain("correct horse", File.ReadAllText(_temp.File("vault.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void PassphraseMode_SaysSo_WhenThePassphraseIsWrong()
    {
        _ = new Vault(DataDir, Environment("correct horse battery staple")).Box;

        var ex = Assert.Throws<UserFacingException>(() => new Vault(DataDir, Environment("Correct horse battery staple")).Box);

        Assert.Contains("wrong passphrase", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PassphraseMode_NamesTheVariable_WhenThePassphraseIsMissing()
    {
        _ = new Vault(DataDir, Environment("correct horse battery staple")).Box;

        var ex = Assert.Throws<UserFacingException>(() => new Vault(DataDir, Environment()).Box);

        Assert.Contains("SECUREMINUTES_PASSPHRASE", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("secureminutes.key")));
    }

    [Fact]
    public void Describe_SaysNotInitialised_BeforeFirstUse()
    {
        Assert.Equal("not initialised yet", new Vault(DataDir, Environment()).Describe());
        Assert.False(File.Exists(_temp.File("vault.json")));
    }
}
