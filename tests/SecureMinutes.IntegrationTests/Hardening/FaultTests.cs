using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SecureMinutes.IntegrationTests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Hardening;

/// <summary>
/// Kind 6 against a real full disk (a 6 MiB tmpfs as the data dir: mounting needs root, which CI has; elsewhere
/// the test says it was skipped and why) and a database another process holds locked.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task OnAFullDisk_ReadOnlyCommandsWork_AndWritesSayTheDiskIsFull()
    {
        var mount = Directory.CreateDirectory(_work.Combine("small-disk")).FullName;
        var mounted = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mount], new Dictionary<string, string?>());
        if (mounted.ExitCode != 0)
        {
            output.WriteLine($"SKIPPED: a full disk needs a tmpfs, and mount failed (run as root, as CI does): {mounted.Stderr.Trim()}");
            return;
        }

        try
        {
            var dataDir = Path.Combine(mount, "data");
            var cli = new CliRunner(dataDir);
            await cli.SucceedAsync("list", "create", "full", "--address", "full@lists.example.test");
            await cli.SucceedAsync("member", "add", "full", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));
            await cli.SucceedAsync("provider", "set", "full", "--outbox", _work.Combine("outbox"));
            var minutes = _work.Combine("cr.md");
            await File.WriteAllTextAsync(minutes, "# CR\n\nDécisions.\n");
            var submission = (await cli.SucceedAsync("submit", "full", "--file", minutes)).Stdout.Trim();
            // As a database from before key judgements were kept: keys check judges the list key afresh and, unable to
            // store that judgement on the full disk, still answers.
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "secureminutes.db")}"))
            {
                await connection.OpenAsync();
                await using var clear = connection.CreateCommand();
                clear.CommandText = "UPDATE lists SET key_summary = NULL; UPDATE members SET key_summary = NULL";
                Assert.Equal(2, await clear.ExecuteNonQueryAsync());
            }

            SqliteConnection.ClearAllPools();
            await FillAsync(Path.Combine(mount, "filler"));

            foreach (var readOnly in new[] { new[] { "member", "list", "full" }, ["list", "show", "full"], ["keys", "check", "full"], ["audit", "full"], ["status", submission] })
            {
                var result = await cli.RunAsync(readOnly);
                Assert.True(result.ExitCode is 0 or 4, $"{string.Join(' ', readOnly)} on a full disk:\n{result}");
            }

            foreach (var write in new[] { new[] { "member", "add", "full", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc") }, ["submit", "full", "--file", minutes, "--again"] })
            {
                var result = await cli.RunAsync(write);
                Assert.Equal(1, result.ExitCode);
                Assert.Contains($"the disk holding {dataDir} is full", result.Stderr, StringComparison.Ordinal);
                Assert.DoesNotContain("this is a bug", result.Stderr, StringComparison.Ordinal);
            }

            File.Delete(Path.Combine(mount, "filler"));
            await cli.SucceedAsync("member", "add", "full", "rsa3072@example.org", "--key", RepoPaths.FixtureKey("rsa3072.pub.asc"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await ProcessRunner.RunAsync("umount", ["-l", mount], new Dictionary<string, string?>());
        }
    }

    [Fact]
    public async Task ALockedDatabase_IsWaitedForTenSeconds_ThenSaidInOneLine()
    {
        var cli = new CliRunner(_work.Combine("data"));
        await cli.SucceedAsync("list", "create", "busy", "--address", "busy@lists.example.test");
        await using var holder = new SqliteConnection($"Data Source={Path.Combine(cli.DataDir, "secureminutes.db")};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var result = await cli.RunAsync("member", "add", "busy", "ed25519@example.org", "--key", RepoPaths.FixtureKey("ed25519.pub.asc"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is locked by another process (waited 10 s)", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(60));
        output.WriteLine($"locked database: answered after {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task FillAsync(string path)
    {
        await using var filler = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await filler.WriteAsync(block);
                await filler.FlushAsync();
            }
        }
        catch (IOException)
        {
            // the disk is full
        }
    }
}
