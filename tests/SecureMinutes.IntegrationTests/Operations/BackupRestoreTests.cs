using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// <c>backup</c> and <c>restore</c> with real databases: a list with members, delivered minutes and queued copies
/// is backed up, restored into a fresh data dir (and a fresh PostgreSQL database), and there everything is found
/// and the queued copies go out exactly once. gpg alone opens the backup; damaged backups restore nothing.
/// </summary>
public sealed class BackupRestoreTests
{
    private const string AdminPublicKey = "ed25519.pub.asc";
    private const string AdminSecretKey = "ed25519.sec.asc";

    [Fact]
    public async Task SQLite_BackupToAnAdminsKey_RestoresEverything_AndTheQueuedCopiesGoOutOnce()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var (original, submissionId, token) = await ListWithQueuedCopiesAsync(work, sink, databaseUrl: null);
        Directory.CreateDirectory(work.Combine("backups"));
        var backup = work.Combine("backups", "ag.backup.pgp");

        var written = await original.SucceedAsync("backup", "--to", backup, "--to-key", RepoPaths.FixtureKey(AdminPublicKey));
        Assert.Contains("encrypted to the key", written.Stdout, StringComparison.Ordinal);
        Assert.Empty(DataDirScan.FilesContaining(work.Combine("backups"), token));
        await AssertGpgAloneOpensAsync(work, backup);

        var restored = new CliRunner(work.Combine("restored"));
        await restored.SucceedAsync("restore", backup, "--secret-key", RepoPaths.FixtureKey(AdminSecretKey));
        await AssertRestoredAndDeliveredOnceAsync(restored, sink, submissionId, token, databaseUrl: null);
    }

    [Fact]
    public async Task Postgres_BackupWithAPassphrase_RestoresIntoAnEmptyDatabase_AndTheQueuedCopiesGoOutOnce()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var source = await PostgresServer.CreateDatabaseAsync();
        var (original, submissionId, token) = await ListWithQueuedCopiesAsync(work, sink, source);
        var backup = work.Combine("ag.backup.pgp");
        original.Environment["BACKUP_PASSPHRASE"] = "un mot de passe assez long";

        await original.SucceedAsync("backup", "--to", backup, "--passphrase-env", "BACKUP_PASSPHRASE");

        var target = await PostgresServer.CreateDatabaseAsync();
        var restored = new CliRunner(work.Combine("restored"));
        restored.Environment["SECUREMINUTES_DB"] = target;
        restored.Environment["BACKUP_PASSPHRASE"] = "un mot de passe assez long";
        await restored.SucceedAsync("restore", backup, "--passphrase-env", "BACKUP_PASSPHRASE");
        Assert.DoesNotContain(token, await PostgresServer.DumpAsync(target), StringComparison.Ordinal);
        await AssertRestoredAndDeliveredOnceAsync(restored, sink, submissionId, token, target);
    }

    [Fact]
    public async Task Restore_RefusesAWrongPassphrase_ADamagedBackup_AndADataDirInUse_WithOneLine_RestoringNothing()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var (original, _, _) = await ListWithQueuedCopiesAsync(work, sink, databaseUrl: null);
        var backup = work.Combine("ag.backup.pgp");
        original.Environment["BACKUP_PASSPHRASE"] = "un mot de passe assez long";
        await original.SucceedAsync("backup", "--to", backup, "--passphrase-env", "BACKUP_PASSPHRASE");
        var again = await original.RunAsync("backup", "--to", backup, "--passphrase-env", "BACKUP_PASSPHRASE");
        AssertOneLine(again, "exists already");

        var wrong = new CliRunner(work.Combine("wrong"));
        wrong.Environment["BACKUP_PASSPHRASE"] = "pas le bon mot de passe";
        AssertOneLine(await wrong.RunAsync("restore", backup, "--passphrase-env", "BACKUP_PASSPHRASE"), "passphrase does not open this backup");
        AssertNothingRestored(wrong.DataDir);

        var bytes = await File.ReadAllBytesAsync(backup);
        bytes[bytes.Length / 2] ^= 0x40;
        var damaged = work.Combine("damaged.pgp");
        await File.WriteAllBytesAsync(damaged, bytes);
        var broken = new CliRunner(work.Combine("broken"));
        broken.Environment["BACKUP_PASSPHRASE"] = "un mot de passe assez long";
        AssertOneLine(await broken.RunAsync("restore", damaged, "--passphrase-env", "BACKUP_PASSPHRASE"), "nothing was restored");
        AssertNothingRestored(broken.DataDir);

        original.Environment["BACKUP_PASSPHRASE"] = "un mot de passe assez long";
        AssertOneLine(await original.RunAsync("restore", backup, "--passphrase-env", "BACKUP_PASSPHRASE"), "already holds SecureMinutes data");
    }

    /// <summary>A list of three members that received one set of minutes, and a second set still queued (no server ran).</summary>
    private static async Task<(CliRunner Cli, string SubmissionId, string Token)> ListWithQueuedCopiesAsync(TempDir work, SmtpSink sink, string? databaseUrl)
    {
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir, databaseUrl))
        {
            await setup.CreateListAsync("ag", 3, sink);
        }

        var cli = new CliRunner(dataDir);
        cli.Environment["SECUREMINUTES_DB"] = databaseUrl;
        var token = "backup-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");
        await cli.SucceedAsync("submit", "ag", "--file", minutes, "--subject", "Première", "--wait");
        var queued = (await cli.SucceedAsync("submit", "ag", "--file", minutes, "--subject", "Seconde")).Stdout.Trim();
        Assert.Equal(3, sink.MessageFiles().Count);
        return (cli, queued, token);
    }

    private static async Task AssertRestoredAndDeliveredOnceAsync(CliRunner restored, SmtpSink sink, string submissionId, string token, string? databaseUrl)
    {
        var members = await restored.SucceedAsync("member", "list", "ag");
        Assert.Contains("m0003@example.org", members.Stdout, StringComparison.Ordinal);
        Assert.Contains("0/3 delivered, 3 queued", (await restored.SucceedAsync("status", submissionId)).Stdout, StringComparison.Ordinal);

        var environment = WorkerEnvironment.For(restored.DataDir, databaseUrl: databaseUrl);
        await using (var worker = WorkerProcess.Start(environment))
        {
            await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count >= 6, TimeSpan.FromMinutes(2), () => worker.Output);
            await CrashRecoveryTests.WaitForFinishedAsync(restored, submissionId);
            Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
        }

        Assert.All(SinkCounts.PerRecipient(sink).Values, count => Assert.Equal(2, count));
        Assert.Contains("3/3 delivered", (await restored.SucceedAsync("status", submissionId)).Stdout, StringComparison.Ordinal);
        Assert.Empty(DataDirScan.FilesContaining(restored.DataDir, token));
    }

    /// <summary>In an emergency, GnuPG alone opens the backup: an OpenPGP message holding a tar archive.</summary>
    private static async Task AssertGpgAloneOpensAsync(TempDir work, string backup)
    {
        using var gpg = new Gpg();
        Assert.Equal(0, (await gpg.RunAsync("--import", RepoPaths.FixtureKey(AdminSecretKey))).ExitCode);
        var tar = work.Combine("backup.tar");
        var decrypted = await gpg.RunAsync("--output", tar, "--decrypt", backup);
        Assert.True(decrypted.ExitCode == 0, decrypted.ToString());
        var listing = await ProcessRunner.RunAsync("tar", ["-tf", tar]);
        Assert.Equal(["manifest.json", "secureminutes.db", "jobs.db", "vault.json", "secureminutes.key"],
            listing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        File.Delete(tar);
    }

    private static void AssertOneLine(ProcessResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static void AssertNothingRestored(string dataDir) =>
        Assert.False(Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any(),
            $"{dataDir} holds {string.Join(", ", Directory.Exists(dataDir) ? Directory.EnumerateFileSystemEntries(dataDir) : [])}");
}
