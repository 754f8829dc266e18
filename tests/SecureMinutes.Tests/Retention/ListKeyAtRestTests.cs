using SecureMinutes.Lists;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>A list's secret key is in the database only sealed (README, "Secrets at rest").</summary>
public sealed class ListKeyAtRestTests
{
    [Fact]
    public async Task ListSecretKey_IsNowhereInTheDatabaseFiles_InClear()
    {
        await using var services = new TestServices();
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var privateKey = (await services.Get<ListService>().OpenSigningKeyAsync(list, null, default)).GetSecretKey().ExtractPrivateKey(null).Key;
        var secret = privateKey switch
        {
            Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters ed => ed.GetEncoded(),
            Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ec => ec.D.ToByteArrayUnsigned(),
            _ => throw new InvalidOperationException($"unexpected list key type {privateKey.GetType().Name}"),
        };

        var files = Directory.GetFiles(services.DataDirectory, "*.db*").Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(files);
        // The middle of the private scalar: however it is encoded (an MPI drops leading zeros), these bytes are in it.
        var window = secret.AsSpan(4, 24).ToArray();
        Assert.All(files, bytes => Assert.True(bytes.AsSpan().IndexOf(window) < 0, "the list's secret key is stored in clear"));
    }
}
