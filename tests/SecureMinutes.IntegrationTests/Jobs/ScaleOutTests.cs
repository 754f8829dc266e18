using SecureMinutes.IntegrationTests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>Two worker processes on one PostgreSQL share a distribution, and the list's rate holds across them.</summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoWorkersOnPostgres_ShareA500MemberDistribution_WithinTheListsRate()
    {
        const int members = 500;
        const int ratePerMinute = 900;
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir, databaseUrl))
        {
            await setup.CreateListAsync("scale", members, sink, ratePerMinute);
        }

        var cli = new CliRunner(dataDir);
        cli.Environment["SECUREMINUTES_DB"] = databaseUrl;
        var token = "scale-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");

        var environment = WorkerEnvironment.For(dataDir, workers: 2, databaseUrl);
        await using var workerA = WorkerProcess.Start(environment);
        await using var workerB = WorkerProcess.Start(environment);
        var started = DateTimeOffset.UtcNow;
        var submissionId = (await cli.SucceedAsync("submit", "scale", "--file", minutes)).Stdout.Trim();

        await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).Count == members, TimeSpan.FromMinutes(4),
            () => $"{SinkCounts.PerRecipient(sink).Count}/{members}\nA:\n{workerA.Output}\nB:\n{workerB.Output}");
        await CrashRecoveryTests.WaitForFinishedAsync(cli, submissionId);

        var counts = SinkCounts.PerRecipient(sink);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        var deliveredByA = DeliveredIn(workerA.Output);
        var deliveredByB = DeliveredIn(workerB.Output);
        var arrivals = SinkCounts.ArrivalTimes(sink);
        var span = arrivals[^1] - arrivals[0];
        var busiestTenSeconds = SinkCounts.MaxInWindow(arrivals, TimeSpan.FromSeconds(10));
        output.WriteLine($"scale-out: {members} members, worker A delivered {deliveredByA}, worker B {deliveredByB}; " +
            $"first to last {span.TotalSeconds:F1} s = {(members - 1) / span.TotalMinutes:F0}/min for a rate of {ratePerMinute}/min; busiest 10 s: {busiestTenSeconds}; total {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s");
        Assert.Equal(members, deliveredByA + deliveredByB);
        Assert.True(deliveredByA > 0 && deliveredByB > 0, $"A {deliveredByA}, B {deliveredByB}");
        Assert.True(busiestTenSeconds <= ratePerMinute / 6 * 1.1, $"{busiestTenSeconds} messages in 10 s exceeds {ratePerMinute}/min");
        Assert.True((members - 1) / span.TotalMinutes <= ratePerMinute * 1.05, $"{(members - 1) / span.TotalMinutes:F0}/min");

        var dump = await PostgresServer.DumpAsync(databaseUrl);
        Assert.Contains("hangfire", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(token, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(token, workerA.Output + workerB.Output, StringComparison.Ordinal);
    }

    /// <summary>Sums the "N delivered" of a worker's log lines.</summary>
    private static int DeliveredIn(string log) => log.Split('\n')
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @": (\d+) delivered, \d+ failed, \d+ skipped in this run"))
        .Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
