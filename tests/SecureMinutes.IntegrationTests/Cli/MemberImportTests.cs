using System.Diagnostics;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Cli;

/// <summary>A 250-member assembly imported in one command, with the time it takes (the issue asks for seconds).</summary>
public sealed class MemberImportTests(ITestOutputHelper output)
{
    private const int Members = 250;

    [Fact]
    public async Task MemberImport_Imports250MembersFromOneKeyring_InSeconds()
    {
        using var work = new TempDir();
        var keyring = work.Combine("ag-250.asc");
        await File.WriteAllTextAsync(keyring, Armor.PublicKey([.. AssemblyKeys()]));
        var cli = new CliRunner(work.Combine("data"));
        await cli.SucceedAsync("list", "create", "ag", "--address", "ag@lists.example.test");

        var clock = Stopwatch.StartNew();
        var import = await cli.RunAsync("member", "import", "ag", keyring, "--json");
        clock.Stop();

        Assert.True(import.ExitCode == 0, import.ToString());
        using var report = JsonDocument.Parse(import.Stdout);
        Assert.Equal(Members, report.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("refused").GetInt32());
        var inside = report.RootElement.GetProperty("seconds").GetDouble();
        output.WriteLine($"member import: {Members} members (125 RSA-3072 + 125 Ed25519/Cv25519) in {clock.Elapsed.TotalSeconds:F1} s wall for the whole command " +
            $"({inside:F1} s reading, checking and storing the keys) on {Environment.ProcessorCount} cores");
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 60);

        using var members = JsonDocument.Parse((await cli.SucceedAsync("member", "list", "ag", "--json")).Stdout);
        Assert.Equal(Members, members.RootElement.GetArrayLength());
        Assert.Equal(0, (await cli.RunAsync("keys", "check", "ag")).ExitCode);
    }

    /// <summary>
    /// Half RSA-3072 (primary and subkey, as Thunderbird makes them), half Ed25519/Cv25519. Generating 250 RSA
    /// keys takes a minute, so they are made once and kept in the test cache (the import is what is measured).
    /// </summary>
    private static IEnumerable<byte[]> AssemblyKeys()
    {
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "secureminutes-test", "ag-250-v1.gpg");
        if (File.Exists(cache))
        {
            return KeyFileReader.Read(File.ReadAllBytes(cache), "cache").Select(f => f.Certificate.GetEncoded());
        }

        var created = DateTimeOffset.UtcNow;
        var keys = new byte[Members][];
        Parallel.For(0, Members, i =>
        {
            var builder = TestKeyBuilder.Create($"Membre {i + 1} <m{i + 1:D3}@example.org>", created);
            keys[i] = (i % 2 == 0 ? builder.WithRsaPrimary(3072).WithRsaSubkey(3072) : builder.WithCv25519Subkey()).Build().GetEncoded();
        });
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        File.WriteAllBytes(cache, keys.SelectMany(k => k).ToArray());
        return keys;
    }
}
