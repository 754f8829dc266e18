using System.Diagnostics;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Wall time, CPU time of this whole process (every thread: the work, the GC, the JIT) and bytes allocated
/// on the managed heap (every thread) over one measured run.
/// </summary>
internal sealed record Measurement(TimeSpan Wall, TimeSpan Cpu, long Allocated)
{
    public static Measurement Of(Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        run();
        wall.Stop();
        return new Measurement(wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    public double PerSecond(int count) => count / Wall.TotalSeconds;

    public double CpuMicrosecondsEach(int count) => Cpu.TotalMicroseconds / count;

    public long AllocatedEach(int count) => Allocated / count;
}
