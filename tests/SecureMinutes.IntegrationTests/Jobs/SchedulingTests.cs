using System.Globalization;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary><c>submit --at</c>: nothing leaves before the time, everything leaves after it.</summary>
public sealed class SchedulingTests
{
    [Fact]
    public async Task SubmitAt_IsNotSentBeforeItsTime_AndIsSentAfter()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            await setup.CreateListAsync("later", 3, sink);
        }

        var cli = new CliRunner(dataDir);
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, "# CR de l'AG\n\nÀ envoyer après la fermeture.\n");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(dataDir));

        // Far enough ahead that a slow start of the CLI on a loaded machine still leaves time to look before it.
        var at = DateTimeOffset.Now.AddSeconds(15);
        var submissionId = (await cli.SucceedAsync("submit", "later", "--file", minutes, "--at", at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))).Stdout.Trim();

        var lookAt = at.AddSeconds(-3);
        if (lookAt > DateTimeOffset.Now)
        {
            await Task.Delay(lookAt - DateTimeOffset.Now);
        }

        Assert.True(DateTimeOffset.Now < at, "the CLI took so long that the send time passed before the test could look");
        Assert.Empty(sink.MessageFiles());
        var early = await cli.SucceedAsync("status", submissionId);
        Assert.Contains("0/3 delivered, 3 queued", early.Stdout, StringComparison.Ordinal);

        await SinkCounts.WaitUntilAsync(() => sink.MessageFiles().Count == 3, TimeSpan.FromSeconds(60), () => worker.Output);
        Assert.All(SinkCounts.ArrivalTimes(sink), arrival => Assert.True(arrival >= at.AddSeconds(-1), $"arrived {arrival:O}, scheduled {at:O}"));
    }
}
