using System.Globalization;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// CPU seconds (user + system, every thread) a process has used so far, from <c>/proc/PID/stat</c> (proc(5): utime and
/// stime, fields 14 and 15, in clock ticks of 1/100 s on Linux x64). Works for other users' processes (PostgreSQL's
/// backends run as <c>postgres</c>).
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>The process's CPU seconds, or null when it has exited.</summary>
    public static double? Seconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
