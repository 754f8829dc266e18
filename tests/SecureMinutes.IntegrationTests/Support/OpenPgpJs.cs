namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// OpenPGP.js (npm <c>openpgp</c>, the engine of Mailvelope, Proton and FlowCrypt) as a fourth peer: installed
/// once per machine from npm into a cache folder (never committed), then <c>openpgpjs-check.mjs</c> (ours, see
/// its header for why not the shared sketch as is) decrypts and verifies a mail as those clients would.
/// </summary>
public static class OpenPgpJs
{
    /// <summary>The version installed: what npm serves here (6.x, the current major), pinned so runs are alike.</summary>
    public const string Version = "6.3.2";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _directory;

    /// <summary>Where it is installed: <c>$SECUREMINUTES_TEST_CACHE</c> or <c>~/.cache/secureminutes-test</c>, then <c>openpgpjs-VERSION</c>.</summary>
    public static string Directory => Path.Combine(
        Environment.GetEnvironmentVariable("SECUREMINUTES_TEST_CACHE") is { Length: > 0 } cache ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "secureminutes-test"),
        "openpgpjs-" + Version);

    /// <summary>Runs the check; exit 0 and a "VERDICT PASS" line when OpenPGP.js opens the mail as expected.</summary>
    public static async Task<ProcessResult> CheckAsync(string emlPath, string memberSecretKey, string listPublicKey, string expectText, string expectSubject)
    {
        var directory = await InstallAsync();
        return await ProcessRunner.RunAsync("node", [Path.Combine(directory, "openpgpjs-check.mjs"), emlPath, memberSecretKey, listPublicKey, expectText, expectSubject],
            timeout: TimeSpan.FromMinutes(1));
    }

    private static async Task<string> InstallAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_directory is not null)
            {
                return _directory;
            }

            var directory = Directory;
            System.IO.Directory.CreateDirectory(directory);
            if (!File.Exists(Path.Combine(directory, "node_modules", "openpgp", "package.json")))
            {
                var install = await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", directory, "openpgp@" + Version],
                    timeout: TimeSpan.FromMinutes(5));
                Assert.True(install.ExitCode == 0, $"npm install openpgp@{Version} failed (node and npm are needed)\n{install}");
            }

            // Node resolves 'openpgp' from the script's own folder, so the script goes next to node_modules.
            File.Copy(Path.Combine(RepoPaths.Root, "tests", "SecureMinutes.IntegrationTests", "Support", "openpgpjs-check.mjs"),
                Path.Combine(directory, "openpgpjs-check.mjs"), overwrite: true);
            return _directory = directory;
        }
        finally
        {
            Gate.Release();
        }
    }
}
