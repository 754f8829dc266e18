namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 5 and the everyday commands: the real <c>secureminutes</c> program (<see cref="BenchContext.ProgramPath"/>)
/// in a fresh data directory, each command timed whole by <c>/usr/bin/time</c> (wall, user + system CPU, peak
/// resident memory): <c>member import</c> of distinct keys (half RSA-3072), the same import again (every key
/// unchanged), then the commands admins type on a list of that size, and start-up alone (<c>--version</c>).
/// </summary>
internal sealed class CliSection(BenchContext bench)
{
    private string _dataDir = "";

    public async Task RunAsync(Report report, int count)
    {
        var work = Directory.CreateTempSubdirectory("sm-bench-cli-");
        _dataDir = Path.Combine(work.FullName, "data");
        try
        {
            var keyrings = await MemberKeyrings.WriteAsync(bench, count, work.FullName);
            report.Section($"5. Import and everyday commands on a {count:N0}-member list (the secureminutes program, timed whole)",
                "command", "wall s", "CPU s", "peak MB", "result");
            var version = await RunAsync("--version");
            report.Row("`--version` (start-up only)", version.Wall, version.Cpu, version.PeakMb, version.Summary);
            await RunAsync("list", "create", "bench", "--address", "bench@lists.example.test");
            var import = await ImportAsync(keyrings);
            report.Row($"`member import` {count:N0} distinct keys ({count / 2:N0} RSA-3072), {keyrings.Count} files", import.Wall, import.Cpu, import.PeakMb, import.Summary);
            var again = await ImportAsync(keyrings);
            report.Row("the same import again (every key unchanged)", again.Wall, again.Cpu, again.PeakMb, again.Summary);

            await RunAsync("provider", "set", "bench", "--outbox", Path.Combine(work.FullName, "outbox"));
            foreach (var command in new[] { new[] { "list", "show", "bench" }, ["member", "list", "bench"], ["member", "list", "bench", "--json"], ["keys", "check", "bench"] })
            {
                var run = await RunAsync(command);
                report.Row($"`{string.Join(' ', command)}`", run.Wall, run.Cpu, run.PeakMb, run.Summary);
            }

            report.Row("sealed member directory, in process (`MemberStore.ListAsync`)", "—", "—", "—", await SealingCost.MeasureAsync(_dataDir, "bench"));
            var submit = await RunAsync("submit", "bench", "--file", bench.MinutesPath);
            report.Row("`submit` (queues one copy per member, no server running)", submit.Wall, submit.Cpu, submit.PeakMb, submit.Summary);
            var status = await RunAsync("status", submit.Stdout.Trim().Split('\n')[^1].Trim());
            report.Row("`status` of that submission", status.Wall, status.Cpu, status.PeakMb, status.Summary);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>One <c>member import</c> per file (at most <see cref="Keys.PublicKeyReader.MaxCertificates"/> keys each): times added, peak the largest.</summary>
    private async Task<TimedCommand> ImportAsync(IReadOnlyList<string> keyrings)
    {
        var runs = new List<TimedCommand>();
        foreach (var keyring in keyrings)
        {
            runs.Add(await RunAsync("member", "import", "bench", keyring));
        }

        return new TimedCommand(runs.Sum(r => r.Wall), runs.Sum(r => r.Cpu), runs.Max(r => r.PeakMb), runs.Max(r => r.ExitCode),
            string.Concat(runs.Select(r => r.Stdout)));
    }

    private Task<TimedCommand> RunAsync(params string[] arguments) => TimedCommand.RunAsync(bench.ProgramPath, _dataDir, arguments);
}
