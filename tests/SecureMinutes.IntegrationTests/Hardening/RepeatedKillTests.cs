using System.Globalization;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Hardening;

/// <summary>
/// Kind 8: a worker killed with SIGKILL again and again during a 1,000-member fan-out. Every member gets the
/// minutes, the restarted worker resumes within a minute (not after the 10-minute invisibility timeout or the
/// 3-minute claim lease: production defaults here, only polling is quick), duplicates stay within one per
/// batch in flight per kill, and status tells the truth. Prints the figures README quotes.
/// </summary>
public sealed class RepeatedKillTests(ITestOutputHelper output)
{
    private const int Members = 1000;
    private const int Kills = 3;
    private const int Workers = 2;

    [Fact]
    public async Task RepeatedKills_DuringAThousandMemberFanOut_LoseNothing_ResumeWithinAMinute_AndDuplicateWithinTheBound()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls", "--require-starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            await setup.CreateListAsync("kills", Members, sink);
        }

        // Production waits (10 min invisibility, 3 min claim lease, 25 per batch); only polling is quick.
        var environment = WorkerEnvironment.For(dataDir, workers: Workers);
        environment.Remove("SECUREMINUTES_JOB_INVISIBILITY");
        environment.Remove("SECUREMINUTES_CLAIM_LEASE");
        environment.Remove("SECUREMINUTES_BATCH_SIZE");
        var cli = new CliRunner(dataDir);
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, "# Compte-rendu\n\nDécisions de l'AG.\n");
        var submissionId = (await cli.SucceedAsync("submit", "kills", "--file", minutes)).Stdout.Trim();

        var figures = new List<string>();
        var resumes = new List<TimeSpan>();
        var previousDuplicates = 0;
        for (var kill = 1; kill <= Kills; kill++)
        {
            var target = Members * kill / (Kills + 1);
            await using var worker = WorkerProcess.Start(environment);
            if (kill > 1)
            {
                resumes.Add(await TimeToNextMessageAsync(sink, worker, output));
            }

            await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count >= target, TimeSpan.FromMinutes(10), () => $"{sink.MessageFiles().Count}/{target}\n{worker.Output}");
            await worker.KillHardAsync();
            var atKill = sink.MessageFiles().Count;
            Assert.InRange(atKill, target, Members + Kills * Workers - 1);
            await Task.Delay(TimeSpan.FromSeconds(1)); // copies in flight land in the sink
            var duplicates = Duplicates(sink);
            figures.Add(string.Create(CultureInfo.InvariantCulture, $"kill {kill} at {atKill} messages: {duplicates - previousDuplicates} duplicate(s)"));
            previousDuplicates = duplicates;
        }

        await using (var last = WorkerProcess.Start(environment))
        {
            resumes.Add(await TimeToNextMessageAsync(sink, last, output));
            await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).Count == Members, TimeSpan.FromMinutes(10),
                () => $"{SinkCounts.PerRecipient(sink).Count}/{Members} recipients\n{last.Output}");
            var status = await WaitForFinishedAsync(cli, submissionId);
            Assert.Equal(Members, status.GetProperty("delivered").GetInt32());
        }

        var counts = SinkCounts.PerRecipient(sink);
        var total = Duplicates(sink);
        output.WriteLine($"repeated kills: {Members} members, {Workers} worker threads, {Kills} kills; " + string.Join("; ", figures));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resume after restart: {string.Join(", ", resumes.Select(r => $"{r.TotalSeconds:F1} s"))}; duplicates in all: {total}; every member delivered: {counts.Count == Members}"));
        Assert.Equal(Members, counts.Count);
        Assert.All(resumes, r => Assert.True(r < TimeSpan.FromMinutes(1), $"resumed after {r}"));
        // At most one duplicate per batch in flight (one per worker thread) per kill.
        Assert.InRange(total, 0, Kills * Workers);
    }

    private static int Duplicates(SmtpSink sink) => SinkCounts.PerRecipient(sink).Values.Sum(c => c - 1);

    /// <summary>From the worker's start to the first new message at the provider.</summary>
    private static async Task<TimeSpan> TimeToNextMessageAsync(SmtpSink sink, WorkerProcess worker, ITestOutputHelper output)
    {
        var before = sink.MessageFiles().Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count > before, TimeSpan.FromMinutes(12), () => worker.Output);
        if (clock.Elapsed > TimeSpan.FromSeconds(30))
        {
            output.WriteLine($"slow resume ({clock.Elapsed.TotalSeconds:F0} s); the worker said:\n{worker.Output}");
        }

        return clock.Elapsed;
    }

    private static async Task<JsonElement> WaitForFinishedAsync(CliRunner cli, string submissionId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var json = JsonDocument.Parse((await cli.SucceedAsync("status", submissionId, "--json")).Stdout).RootElement;
            if (json.GetProperty("finished").GetBoolean())
            {
                return json;
            }

            Assert.True(DateTime.UtcNow < deadline, "the submission did not finish");
            await Task.Delay(1000);
        }
    }
}
