using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// A data dir written by the previous release (tests/fixtures/datadir-schema-4: schema version 4, a list with
/// members, delivered minutes, and minutes still queued with their Hangfire job) opens with this program: the
/// schema migrates forward, everything is found, and the queued minutes go out.
/// </summary>
public sealed class UpgradeTests
{
    private const string DeliveredId = "sub-anrp-ce3p-fw8s";
    private const string QueuedId = "sub-kx43-4aje-qeyq";

    [Fact]
    public async Task PreviousReleasesDataDir_MigratesForward_KeepsEverything_AndSendsWhatWasQueued()
    {
        using var work = new TempDir();
        var dataDir = work.Combine("data");
        Directory.CreateDirectory(dataDir);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "fixtures", "datadir-schema-4")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(dataDir, Path.GetFileName(file));
            File.Copy(file, copy);
            if (!OperatingSystem.IsWindows())
            {
                // git keeps no file modes: the vault key is the owner's alone again, as the release left it.
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var cli = new CliRunner(dataDir);
        Assert.Contains("ok    vault", (await cli.SucceedAsync("health")).Stdout, StringComparison.Ordinal);
        var shown = (await cli.SucceedAsync("list", "show", "ag-demo")).Stdout;
        Assert.Contains("rate 30/min, daily cap 400, late joiners get the last 1", shown, StringComparison.Ordinal);
        var members = (await cli.SucceedAsync("member", "list", "ag-demo")).Stdout;
        Assert.Contains("dominique@members.example.test", members, StringComparison.Ordinal);
        Assert.Contains("(note-taker)", members, StringComparison.Ordinal);
        Assert.Contains("3/3 delivered", (await cli.SucceedAsync("status", DeliveredId)).Stdout, StringComparison.Ordinal);
        Assert.Contains("0/3 delivered, 3 queued", (await cli.SucceedAsync("status", QueuedId)).Stdout, StringComparison.Ordinal);

        // The queued minutes were scheduled by the previous release's Hangfire job: this release's worker runs it.
        var outbox = work.Combine("outbox");
        await cli.SucceedAsync("provider", "set", "ag-demo", "--outbox", outbox);
        await using (var worker = WorkerProcess.Start(WorkerEnvironment.For(dataDir)))
        {
            var status = await CrashRecoveryTests.WaitForFinishedAsync(cli, QueuedId);
            Assert.Equal(3, status.GetProperty("delivered").GetInt32());
        }

        var toCamille = Assert.Single(Directory.GetFiles(outbox, "*camille*.eml"));
        var text = OpenedMail.PlainText(await OpenedMail.DecryptAsync(toCamille, RepoPaths.DemoKey("camille.sec.asc")));
        Assert.Contains("upgrade-token-7f3a", text, StringComparison.Ordinal);
    }
}
