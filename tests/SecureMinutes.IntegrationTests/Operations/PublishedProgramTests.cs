using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// The program as an installation runs it: <c>deploy/publish.sh</c>'s self-contained <c>secureminutes</c> (tests/run.sh
/// publishes it to artifacts/publish before the tests), and the systemd units that start it.
/// </summary>
public sealed class PublishedProgramTests
{
    private static string Program => Path.Combine(RepoPaths.Root, "artifacts", "publish", "secureminutes");

    /// <summary>What README's install section copies to /usr/local/bin: the program and the native libraries beside it.</summary>
    private static readonly string[] Installed = ["secureminutes", "libe_sqlite3.so", "libMono.Unix.so"];

    [Fact]
    public async Task PublishedProgram_RunsTheDemo_AndSaysItsVersion()
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: run deploy/publish.sh (tests/run.sh does) before the tests");
        using var work = new TempDir();
        // Run from a folder holding only what README installs, so a library the program needs but README forgets fails here.
        var bin = Directory.CreateDirectory(work.Combine("bin")).FullName;
        foreach (var file in Installed)
        {
            File.Copy(Path.Combine(Path.GetDirectoryName(Program)!, file), Path.Combine(bin, file));
        }

        var program = Path.Combine(bin, "secureminutes"); // File.Copy keeps the execute bit on Unix
        var version = await ProcessRunner.RunAsync(program, ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^0\.1\.\d+\+\S+", version.Stdout.Trim());

        var environment = new Dictionary<string, string?> { ["SECUREMINUTES_DATA_DIR"] = work.Combine("data"), ["SECUREMINUTES_PASSPHRASE"] = null };
        var demo = await ProcessRunner.RunAsync(program, ["demo", "--seeds", Path.Combine(RepoPaths.Root, "seeds", "demo-list.json"), "--outbox", work.Combine("outbox")],
            environment, timeout: TimeSpan.FromMinutes(3));
        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("3/3 delivered", demo.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(work.Combine("outbox"), "*.eml").Length);
    }

    [Fact]
    public async Task SystemdUnits_PassSystemdAnalyzeVerify()
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: run deploy/publish.sh (tests/run.sh does) before the tests");
        using var work = new TempDir();
        var units = new List<string>();
        foreach (var unit in Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "systemd"), "*.service"))
        {
            // The units name the installed path; verify checks that the program exists, so it points at the published one here.
            var name = Path.GetFileName(unit).Replace("@.service", "@1.service", StringComparison.Ordinal);
            var copy = work.Combine(name);
            await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(unit)).Replace("/usr/local/bin/secureminutes", Program, StringComparison.Ordinal));
            units.Add(copy);
        }

        Assert.Equal(2, units.Count);
        var verify = await ProcessRunner.RunAsync("systemd-analyze", ["verify", .. units]);
        Assert.True(verify.ExitCode == 0 && verify.Stdout.Trim().Length == 0 && verify.Stderr.Trim().Length == 0, verify.ToString());
    }
}
