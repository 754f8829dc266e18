using System.Diagnostics;
using System.Globalization;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// The real <c>secureminutes</c> program (<see cref="BenchContext.ProgramPath"/>) run once in a data directory, timed whole
/// by <c>/usr/bin/time</c>: wall seconds, user + system CPU seconds, peak resident memory. Sections 4 and 5 use it.
/// </summary>
internal sealed record TimedCommand(double Wall, double Cpu, double PeakMb, int ExitCode, string Stdout)
{
    public string Summary => $"exit {ExitCode}, {Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines out";

    /// <summary>
    /// Runs <paramref name="program"/> (<c>secureminutes</c>) <c>--data-dir DATADIR ARGUMENTS</c> (no data directory for <c>--version</c>, which stands alone);
    /// exit codes other than 0 and 4 (some copies not delivered) throw with the program's standard error.
    /// </summary>
    public static Task<TimedCommand> RunAsync(string program, string dataDir, params string[] arguments) =>
        RunAsync(program, dataDir, new Dictionary<string, string?>(), arguments);

    /// <summary>
    /// The same with extra environment variables for the program (e.g. <c>SECUREMINUTES_DB</c>, which keeps the PostgreSQL
    /// URL and its password off the command line); a null value removes the variable.
    /// </summary>
    public static async Task<TimedCommand> RunAsync(string program, string dataDir, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var timeFile = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // --version stands alone (System.CommandLine refuses it with other options).
        string[] dataDirArguments = arguments is ["--version"] ? [] : ["--data-dir", dataDir];
        foreach (var argument in (string[])["-f", "%e %U %S %M", "-o", timeFile, program, .. dataDirArguments, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SECUREMINUTES_PASSPHRASE"] = null;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("time did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var fields = (await File.ReadAllLinesAsync(timeFile))[^1].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        File.Delete(timeFile);
        if (process.ExitCode is not (0 or 4))
        {
            throw new InvalidOperationException($"secureminutes {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }

        return new TimedCommand(fields[0], fields[1] + fields[2], fields[3] / 1024, process.ExitCode, await stdout);
    }
}
