using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>The data dir's files are readable by their owner only (issue 17): 0600, SQLite's -wal and -shm included.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // unix modes
public sealed class PrivateFilesTests
{
    private const UnixFileMode GroupOrOthers = ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    [Fact]
    public async Task EveryFileInTheDataDir_IsOwnerOnly_AfterMinutesWereSubmitted()
    {
        await using var scenario = await DeliveryScenario.CreateAsync();
        await scenario.SubmitAsync();
        // Held open: SQLite removes the -wal and -shm when the last connection closes (another test may clear the pools).
        await using var connection = await scenario.Get<Database>().OpenAsync();
        await using (var write = connection.CreateCommand())
        {
            write.CommandText = "UPDATE lists SET keep_days = 30";
            await write.ExecuteNonQueryAsync();
        }

        _ = scenario.Get<Hangfire.JobStorage>().GetMonitoringApi().EnqueuedCount("default");

        var files = Directory.GetFiles(scenario.Services.DataDirectory);
        Assert.Contains(files, f => f.EndsWith("secureminutes.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("secureminutes.db-shm", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("jobs.db", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & GroupOrOthers) == 0, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public void FilesOfAnOlderDataDir_AreTightenedTo0600_WhenItIsOpened()
    {
        var directory = Directory.CreateTempSubdirectory("secureminutes-modes-").FullName;
        try
        {
            var database = Path.Combine(directory, "secureminutes.db");
            foreach (var path in new[] { database, database + "-wal", Path.Combine(directory, "jobs.db") })
            {
                File.WriteAllBytes(path, []);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            SecureMinutesOptions.Create(directory, null, _ => null).EnsureDataDirectory();

            Assert.All(Directory.GetFiles(directory), f => Assert.Equal(PrivateFiles.OwnerOnly, File.GetUnixFileMode(f)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
