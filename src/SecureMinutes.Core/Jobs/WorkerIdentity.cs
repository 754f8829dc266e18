using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureMinutes.Jobs;

/// <summary>
/// Who this process is, for claims and leases it takes and for its Hangfire server's name:
/// <c>host/pid/start</c> (start in Unix milliseconds). With the start time, a process id reused after a
/// restart (a container's worker is often PID 1 each time) is not mistaken for the process that died.
/// </summary>
public static partial class WorkerIdentity
{
    /// <summary>This process.</summary>
    public static readonly string Current = FormattableString.Invariant(
        $"{Environment.MachineName.ToLowerInvariant()}/{Environment.ProcessId}/{StartOf(Process.GetCurrentProcess())}");

    /// <summary>The identity inside a Hangfire server id (<c>secureminutes-worker@host/pid/start:guid</c>), or null.</summary>
    public static string? FromServerId(string serverId) => IdentityPattern().Match(serverId) is { Success: true } match ? match.Value : null;

    /// <summary>
    /// True when <paramref name="identity"/> names a process of this machine that no longer runs; false when it
    /// runs or lives on another machine (whose death only its silence tells, see <see cref="DeadWorkerRecovery"/>).
    /// </summary>
    public static bool IsGoneFromThisHost(string identity)
    {
        var parts = identity.Split('/');
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return Math.Abs(StartOf(process) - start) > 1000;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return true; // no such process
        }
    }

    private static long StartOf(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();

    [GeneratedRegex(@"[^@/:]+/\d+/\d+", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityPattern();
}
