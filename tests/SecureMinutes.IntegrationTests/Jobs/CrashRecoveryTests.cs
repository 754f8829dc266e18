using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>
/// A worker killed with SIGKILL in the middle of a distribution loses nothing, and duplicates at most the one copy
/// that was between the provider's answer and our record (one batch in flight with one worker).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledWorker_MidFanOut_LeavesEveryMemberDelivered_WithAtMostOneDuplicate_AfterRestart()
    {
        const int members = 200;
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls", "--require-starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            // The list's rate (400/min) makes the provider "slow" enough to kill the worker mid-way.
            await setup.CreateListAsync("crash", members, sink, ratePerMinute: 400);
        }

        var environment = WorkerEnvironment.For(dataDir, workers: 1);
        var cli = new CliRunner(dataDir);
        var minutes = work.Combine("minutes.md");
        var token = "crash-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(minutes, $"# Compte-rendu\n\n{token}\n");
        var submissionId = (await cli.SucceedAsync("submit", "crash", "--file", minutes)).Stdout.Trim();

        var started = DateTimeOffset.UtcNow;
        await using (var first = WorkerProcess.Start(environment))
        {
            await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count >= 60, TimeSpan.FromMinutes(2), () => first.Output);
            await first.KillHardAsync();
        }

        var atKill = sink.MessageFiles().Count;
        // The kill must have landed mid fan-out, or the rest of this test proves nothing about recovery.
        Assert.InRange(atKill, 60, members - 1);
        await using (var second = WorkerProcess.Start(environment))
        {
            await SinkCounts.WaitUntilAsync(() => SinkCounts.PerRecipient(sink).Count == members, TimeSpan.FromMinutes(3),
                () => $"{SinkCounts.PerRecipient(sink).Count}/{members} recipients\n{second.Output}");
            await WaitForFinishedAsync(cli, submissionId);
            Assert.DoesNotContain(token, second.Output, StringComparison.Ordinal);
        }

        var elapsed = DateTimeOffset.UtcNow - started;
        var counts = SinkCounts.PerRecipient(sink);
        var duplicates = counts.Values.Sum(c => c - 1);
        output.WriteLine($"kill test: {members} members, killed after {atKill} messages, {sink.MessageFiles().Count} messages in {elapsed.TotalSeconds:F1} s, duplicates: {duplicates}");
        Assert.Equal(members, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 1, 2));
        Assert.InRange(duplicates, 0, 1);
        Assert.Empty(DataDirScan.FilesContaining(dataDir, token));
    }

    internal static async Task<JsonElement> WaitForFinishedAsync(CliRunner cli, string submissionId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await cli.SucceedAsync("status", submissionId, "--json");
            var json = JsonDocument.Parse(status.Stdout).RootElement;
            if (json.GetProperty("finished").GetBoolean())
            {
                return json;
            }

            Assert.True(DateTime.UtcNow < deadline, "the submission did not finish:\n" + status.Stdout);
            await Task.Delay(500);
        }
    }
}
