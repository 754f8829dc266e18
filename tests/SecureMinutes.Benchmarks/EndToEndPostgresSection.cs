using System.Diagnostics;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 4b, end to end on PostgreSQL (issue 12): as section 4 (<see cref="EndToEndSection"/>), but the list lives in a
/// fresh PostgreSQL database (<see cref="ScratchPostgres"/>) and two <c>secureminutes worker</c> processes
/// (<see cref="BenchWorker"/>, Hangfire's default of 4 job workers each) share the delivery through it. Then
/// <c>submit --wait</c> runs: it stores the copies and queues the fan-out, and because it finds the two workers'
/// Hangfire servers alive it starts none of its own and only polls the copies' counts; every copy is delivered by a
/// worker (the table shows each worker's count from its log, and the test of that is that they add up to the members).
/// Measured from the moment <c>submit</c> is started to the last message the in-process <see cref="SmtpSink"/> accepts.
/// </summary>
internal sealed class EndToEndPostgresSection(BenchContext bench)
{
    private static readonly TimeSpan WorkersReadyWithin = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    public async Task RunAsync(Report report, IReadOnlyList<int> sizes, double gpgCpuMilliseconds)
    {
        var measured = sizes.Where(s => s >= 1000).DefaultIfEmpty(sizes.Max()).ToList();
        report.Section("4b. End to end on PostgreSQL: `submit --wait` while two `worker` processes deliver, into an in-process loopback SMTP sink",
            "members", "wall s", "messages/s", "`submit --wait` s", "SMTP connections", "messages received", "delivered by worker A / B",
            "peak MB worker A / B (sum)", "CPU s workers A / B", "CPU s submit", "CPU s PostgreSQL", "CPU s in all", "µs CPU per member", "share of gpg's CPU per member");
        var stops = new List<string>();
        var activities = new List<string>();
        foreach (var size in measured)
        {
            Console.Error.WriteLine($"[bench] 4b: {size:N0} members on PostgreSQL, two workers…");
            var work = Directory.CreateTempSubdirectory("sm-bench-e2e-pg-");
            try
            {
                await using var database = await ScratchPostgres.CreateAsync(bench.SharedTools);
                var row = await MeasureAsync(database, size, Path.Combine(work.FullName, "data"), work.FullName, gpgCpuMilliseconds);
                report.Row(row.Cells);
                activities.Add($"{size:N0}: {row.Activity}");
                stops.Add($"{size:N0}: exactly once {(row.ExactlyOnce ? "yes" : "NO")}, worker A {row.StopA}, worker B {row.StopB}");
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }

        report.Note("Each size in a fresh PostgreSQL database (../shared/tools/postgres/pg.sh; keys imported first, not timed; the list's rate and daily cap off; "
            + "dropped after) with a fresh data directory the workers share for the vault's key. The two workers are started and registered before `submit` "
            + "(start-up not timed), with Hangfire's defaults (4 job workers each, one SMTP connection per batch job). Wall: from starting `submit --wait` "
            + "to the sink accepting the last message; `submit --wait` s is that process's own wall time (it polls every 300 ms). "
            + "CPU (user + system, from /proc and /usr/bin/time) over that interval: each worker's, the whole submit process's (start-up and fan-out "
            + "included), and PostgreSQL's backends serving that database (sampled every 0.25 s; the server's shared background processes not counted). "
            + "Peak MB is each worker's peak resident set (VmHWM) over its life. \"Exactly once\" below means: `submit --wait` exited 0 (every copy "
            + "delivered), the workers' counts add up to the members and the sink received that many messages. "
            + "Workers stopped with SIGTERM after the last copy: " + string.Join("; ", stops) + ". "
            + "PostgreSQL's counters for that database from `submit` to the workers' exit (pg_stat_database; autovacuum included): " + string.Join("; ", activities) + ".");
    }

    private sealed record Row(object[] Cells, bool ExactlyOnce, string StopA, string StopB, string Activity);

    private async Task<Row> MeasureAsync(ScratchPostgres database, int size, string dataDir, string workDir, double gpgCpuMilliseconds)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SECUREMINUTES_DB"] = database.Url,
            // A worker runs the daily key refresh: never towards the real keyservers or members' domains from a benchmark.
            ["SECUREMINUTES_VKS_URL"] = "off",
            ["SECUREMINUTES_HKP_URL"] = "off",
            ["SECUREMINUTES_WKD"] = "off",
        };
        var keyrings = await MemberKeyrings.WriteAsync(bench, size, workDir);
        await using var sink = new SmtpSink();
        Task<TimedCommand> Run(params string[] arguments) => TimedCommand.RunAsync(bench.ProgramPath, dataDir, environment, arguments);
        await BenchList.CreateAsync(arguments => Run(arguments), keyrings, sink);

        var workerEnvironment = new Dictionary<string, string?>(environment) { ["SECUREMINUTES_PASSPHRASE"] = null };
        await using var workerA = BenchWorker.Start(bench.ProgramPath, dataDir, workerEnvironment);
        await using var workerB = BenchWorker.Start(bench.ProgramPath, dataDir, workerEnvironment);
        await WaitUntilRegisteredAsync(database, workerA, workerB);

        var cpuA = workerA.CpuSeconds ?? 0;
        var cpuB = workerB.CpuSeconds ?? 0;
        var activityBefore = await database.ActivityAsync();
        var backends = await BackendCpu.StartAsync(database);
        var started = Stopwatch.GetTimestamp();
        var submitting = Run("submit", BenchList.Name, "--file", bench.MinutesPath, "--wait");
        while (!submitting.IsCompleted)
        {
            await backends.SampleAsync();
            await Task.WhenAny(submitting, Task.Delay(250));
        }

        var submit = await submitting;
        // Every copy is final when submit --wait returns; give the sink a moment for a message still being acknowledged.
        for (var i = 0; i < 40 && sink.Messages < size; i++)
        {
            await Task.Delay(250);
        }

        await backends.SampleAsync();
        var usedA = (workerA.CpuSeconds ?? cpuA) - cpuA;
        var usedB = (workerB.CpuSeconds ?? cpuB) - cpuB;
        var (peakA, peakB) = (workerA.PeakMb, workerB.PeakMb);
        var (deliveredA, deliveredB) = (workerA.Delivered, workerB.Delivered);
        var stopA = await workerA.StopAsync(StopGrace);
        var stopB = await workerB.StopAsync(StopGrace);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the workers' backends report their last counters as they exit
        var activity = await database.ActivityAsync() - activityBefore;

        var wall = sink.LastMessageAt == 0 ? double.NaN : Stopwatch.GetElapsedTime(started, sink.LastMessageAt).TotalSeconds;
        var cpu = usedA + usedB + submit.Cpu + backends.Seconds;
        var cpuEach = cpu * 1_000_000 / size;
        return new Row(
        [
            size, wall, sink.Messages / wall, submit.Wall, sink.Connections, sink.Messages, FormattableString.Invariant($"{deliveredA:N0} / {deliveredB:N0}"),
            FormattableString.Invariant($"{peakA:0} / {peakB:0} ({peakA + peakB:0})"), FormattableString.Invariant($"{usedA:0.0} / {usedB:0.0}"),
            submit.Cpu, backends.Seconds, cpu, cpuEach,
            gpgCpuMilliseconds > 0 ? FormattableString.Invariant($"{cpuEach / (gpgCpuMilliseconds * 1000):P0}") : "— (run section 2 too)",
        ], submit.ExitCode == 0 && deliveredA + deliveredB == size && sink.Messages == size, stopA, stopB,
            FormattableString.Invariant($"{activity.Commits:N0} transactions committed ({(double)activity.Commits / size:0.0} per copy), rows inserted {activity.Inserted:N0}, updated {activity.Updated:N0}, deleted {activity.Deleted:N0}"));
    }

    /// <summary>Waits until both workers' Hangfire servers are registered, so that <c>submit --wait</c> finds them alive and starts none of its own.</summary>
    private static async Task WaitUntilRegisteredAsync(ScratchPostgres database, BenchWorker workerA, BenchWorker workerB)
    {
        var deadline = Stopwatch.StartNew();
        while (await database.JobServersAsync() < 2)
        {
            if (workerA.CpuSeconds is null || workerB.CpuSeconds is null || deadline.Elapsed > WorkersReadyWithin)
            {
                throw new InvalidOperationException($"the two workers did not register within {WorkersReadyWithin.TotalSeconds:0} s\nA:\n{workerA.Log}\nB:\n{workerB.Log}");
            }

            await Task.Delay(250);
        }

        // Let their first polls and recurring-job set-up pass, so the CPU counted from here is the submission's.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
