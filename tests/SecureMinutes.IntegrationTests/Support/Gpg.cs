namespace SecureMinutes.IntegrationTests.Support;

/// <summary>GnuPG in a throw-away home directory: makes test keys the way members' tools do, and reads mail.</summary>
public sealed class Gpg : IDisposable
{
    private readonly TempDir _home = new("sm-gnupg-");

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("gpg", new[] { "--homedir", _home.Path, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "" }.Concat(arguments));

    /// <summary>Generates a key like <c>gpg --quick-gen-key</c> does (primary [SC] plus an [E] subkey) and exports both halves.</summary>
    public async Task<(string PublicKey, string SecretKey)> GenerateAsync(string userId, string algorithm, string outputDir, string name)
    {
        await Ok(RunAsync("--quick-gen-key", userId, algorithm, "sign,cert", "never"));
        var fingerprint = (await Ok(RunAsync("--with-colons", "--list-keys", userId))).Stdout
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        await Ok(RunAsync("--quick-add-key", fingerprint, algorithm, "encr", "never"));
        var publicPath = Path.Combine(outputDir, name + ".pub.asc");
        var secretPath = Path.Combine(outputDir, name + ".sec.asc");
        await File.WriteAllTextAsync(publicPath, (await Ok(RunAsync("--armor", "--export", fingerprint))).Stdout);
        await File.WriteAllTextAsync(secretPath, (await Ok(RunAsync("--armor", "--export-secret-keys", fingerprint))).Stdout);
        return (publicPath, secretPath);
    }

    private static async Task<ProcessResult> Ok(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public void Dispose()
    {
        _ = ProcessRunner.RunAsync("gpgconf", ["--homedir", _home.Path, "--kill", "all"]).Wait(TimeSpan.FromSeconds(5));
        _home.Dispose();
    }
}
