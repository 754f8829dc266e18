using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kind 6: the machine's faults are said in the admin's words, never as "this is a bug". The full disk itself
/// (a tmpfs data dir, needs root) is in the integration tests' FaultTests.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class EnvironmentFaultTests
{
    private const string DataDir = "/var/lib/secureminutes";

    public static TheoryData<Exception, string> Faults => new()
    {
        { new SqliteException("database or disk is full", 13), "the disk holding /var/lib/secureminutes is full" },
        { new SqliteException("database is locked", 5), "is locked by another process (waited 10 s)" },
        { new SqliteException("database table is locked", 6), "is locked by another process" },
        { new SqliteException("attempt to write a readonly database", 8), "is read-only" },
        { new SqliteException("unable to open database file", 14), "cannot be opened" },
        { new SqliteException("disk I/O error", 10 | (4 << 8)), "reported an I/O error" },
        { new IOException("No space left on device : '/var/lib/secureminutes/x'", 28), "is full" },
        { new InvalidOperationException("wrapped", new SqliteException("database or disk is full", 13)), "is full" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Faults_AreDescribedInTheAdminsWords(Exception fault, string expected)
    {
        var line = EnvironmentFault.Describe(fault, DataDir);

        Assert.NotNull(line);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Bugs_AreNotEnvironmentFaults()
    {
        Assert.Null(EnvironmentFault.Describe(new InvalidOperationException("a bug"), DataDir));
        Assert.Null(EnvironmentFault.Describe(new SqliteException("no such table: x", 1), DataDir));
    }

    [Fact]
    public async Task ALockedDatabase_WaitsTheDocumentedTime_ThenSaysSo()
    {
        await using var services = new TestServices();
        await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        // A member whose settings the locked write below changes (reading still works beside a writer in WAL mode).
        await services.Get<Membership>().AddAsync("ag", "x@example.org", await File.ReadAllBytesAsync(Path.Combine(TestPaths.DemoKeys, "camille.pub.asc")), "camille.pub.asc",
            new MemberOptions(AllowUserIdMismatch: true));
        await using var holder = new SqliteConnection($"Data Source={Path.Combine(services.DataDirectory, "secureminutes.db")};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => services.Get<Membership>().SetFlagsAsync("ag", "x@example.org", isAdmin: true, wantsDigest: null));

        Assert.Contains("locked by another process", EnvironmentFault.Describe(failure, services.DataDirectory), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, Database.BusyTimeout - TimeSpan.FromSeconds(1), Database.BusyTimeout * 3);
    }
}
