using System.Text;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// Issue 17 on PostgreSQL: after members joined and minutes went out in passphrase mode, a <c>pg_dump</c> of the database
/// and a copy of the data dir name no member, hold no fingerprint, key id or key, and no minutes (the SQLite run of the
/// same flow is <c>SealedDirectoryTests</c>).
/// </summary>
public sealed class SeizedDiskOnPostgresTests
{
    [Fact]
    public async Task APgDumpAndTheDataDir_InPassphraseMode_HoldNoAddressNoFingerprintNoKeyAndNoMinutes()
    {
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        var dataDir = work.Combine("data");
        var demoKeys = Path.GetDirectoryName(RepoPaths.DemoKey("camille.pub.asc"))!;
        await using (var services = new TestServices(dataDir, databaseUrl, environment: SeizedDiskFlow.Environment().GetValueOrDefault))
        {
            await SeizedDiskFlow.RunAsync(services, work.Combine("outbox"), demoKeys);
        }

        var dump = await PostgresServer.DumpAsync(databaseUrl);
        Assert.Contains("ag@lists.example.test", dump, StringComparison.Ordinal); // the dump holds the data (the list's own address is public)
        Assert.Empty(SeizedDiskFlow.FoundIn(Encoding.UTF8.GetBytes(dump), demoKeys));
        Assert.Empty(SeizedDiskFlow.FoundIn(dataDir, demoKeys));
    }
}
