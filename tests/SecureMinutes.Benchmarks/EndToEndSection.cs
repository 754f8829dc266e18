namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 4, end to end (issue 12): the real <c>secureminutes</c> program, in a fresh data directory on SQLite, imports
/// the members, is given an SMTP provider (<see cref="SmtpSink"/>: in this process, loopback, no TLS, one connection
/// counted per session the program opens), and runs <c>submit --wait</c>, which with no server alive runs the
/// Hangfire server in its own process for as long as it waits: every batch goes through the real job pipeline (fan-out,
/// batch jobs, claims, the send loop, records). Timed whole by <c>/usr/bin/time</c>: start-up included.
/// <para>
/// The same on PostgreSQL with two <c>worker</c> processes: <see cref="EndToEndPostgresSection"/> (section 4b).
/// </para>
/// </summary>
internal sealed class EndToEndSection(BenchContext bench)
{
    public async Task RunAsync(Report report, IReadOnlyList<int> sizes, double gpgCpuMilliseconds)
    {
        var measured = sizes.Where(s => s >= 1000).DefaultIfEmpty(sizes.Max()).ToList();
        report.Section("4. End to end: `submit --wait` through Hangfire on SQLite into an in-process loopback SMTP sink (the secureminutes program, timed whole)",
            "members", "wall s", "messages/s", "CPU s", "µs CPU per member", "share of gpg's CPU per member", "peak MB", "SMTP connections", "messages received");
        foreach (var size in measured)
        {
            var work = Directory.CreateTempSubdirectory("sm-bench-e2e-");
            var dataDir = Path.Combine(work.FullName, "data");
            try
            {
                var keyrings = await MemberKeyrings.WriteAsync(bench, size, work.FullName);
                await using var sink = new SmtpSink();
                Task<TimedCommand> Run(params string[] arguments) => TimedCommand.RunAsync(bench.ProgramPath, dataDir, arguments);
                await BenchList.CreateAsync(arguments => Run(arguments), keyrings, sink);

                var submit = await Run("submit", BenchList.Name, "--file", bench.MinutesPath, "--wait");
                var cpuEach = submit.Cpu * 1_000_000 / size;
                report.Row(size, submit.Wall, size / submit.Wall, submit.Cpu, cpuEach,
                    gpgCpuMilliseconds > 0 ? $"{cpuEach / (gpgCpuMilliseconds * 1000):P0}" : "— (run section 2 too)",
                    submit.PeakMb, sink.Connections, sink.Messages);
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }

        report.Note("Each size in a fresh data directory (keys imported first, not timed here; the list's rate and daily cap off). "
            + "CPU is the submit process's own (user + system), start-up, the database and the in-process Hangfire server included; "
            + "the sink runs in the benchmark's process and is not counted. gpg's share is against section 2's median in the same run.");
    }
}
