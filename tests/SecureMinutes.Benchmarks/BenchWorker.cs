using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// One real <c>secureminutes worker</c> process (<see cref="BenchContext.ProgramPath"/>) on a PostgreSQL database, for
/// section 4b: its log is kept (to count what it delivered), its CPU and peak resident memory read from <c>/proc</c>
/// while it runs, and it is stopped as an admin stops it (SIGTERM: the host shuts Hangfire's server down and exits).
/// </summary>
internal sealed partial class BenchWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private BenchWorker(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>What the worker printed (standard output and error, interleaved).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>CPU seconds used so far (every thread, start-up included); null once it has exited.</summary>
    public double? CpuSeconds => ProcessCpu.Seconds(Pid);

    /// <summary>Peak resident set so far in MB (VmHWM, what <c>/usr/bin/time</c> reports as maximum resident size).</summary>
    public double PeakMb
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64 / (1024.0 * 1024.0);
        }
    }

    /// <summary>Copies this worker reports delivered: the sum of its "N delivered, … in this run" lines (one per batch run).</summary>
    public int Delivered => DeliveredLine().Matches(Log).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>Starts <c>secureminutes --data-dir DATADIR worker</c> with <paramref name="environment"/> added (null removes a variable).</summary>
    public static BenchWorker Start(string program, string dataDir, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--data-dir", dataDir, "worker"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new BenchWorker(Process.Start(start) ?? throw new InvalidOperationException("the worker did not start"));
    }

    /// <summary>
    /// SIGTERM, then waits up to <paramref name="grace"/> for the worker to exit; kills it if it has not.
    /// Returns how it ended, in a few words for the report.
    /// </summary>
    public async Task<string> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return $"had exited ({_process.ExitCode})";
        }

        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return $"stopped by SIGTERM (exit {_process.ExitCode})";
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return $"killed: still running {grace.TotalSeconds:0} s after SIGTERM";
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@": (\d+) delivered, \d+ failed, \d+ skipped in this run")]
    private static partial Regex DeliveredLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
