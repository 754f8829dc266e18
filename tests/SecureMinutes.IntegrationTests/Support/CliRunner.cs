namespace SecureMinutes.IntegrationTests.Support;

/// <summary>Drives <c>secureminutes</c> exactly as users and other tools do: a process, a data dir, arguments.</summary>
public sealed class CliRunner(string dataDir)
{
    public string DataDir { get; } = dataDir;

    public Dictionary<string, string?> Environment { get; } = new()
    {
        ["SECUREMINUTES_DATA_DIR"] = dataDir,
        ["SECUREMINUTES_PASSPHRASE"] = null,
    };

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", new[] { RepoPaths.ProgramDll }.Concat(arguments), Environment);

    /// <summary>Runs and fails the test (showing stdout/stderr) unless the exit code is 0.</summary>
    public async Task<ProcessResult> SucceedAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"secureminutes {string.Join(' ', arguments)}\n{result}");
        return result;
    }
}
