using System.Globalization;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Intake;

/// <summary>
/// <c>submit --pad URL --at TIME</c> ("send the pad at the end of the AG"): the pad is read at TIME by a
/// real worker process, not when the command ran; a pad that cannot be read then is retried, and the
/// admins get an encrypted notice instead of minutes.
/// </summary>
public sealed class ScheduledCaptureTests
{
    [Fact]
    public async Task SubmitPadAt_SendsThePadAsItIsAtThatTime_NotAsItWasWhenSubmitted()
    {
        await Etherpad.StartAsync();
        await using var list = await IntakeList.CreateAsync("cap");
        var token = Guid.NewGuid().ToString("N")[..10];
        var pad = Etherpad.NewPadName("fin-ag");
        await Etherpad.CreatePadAsync(pad, $"Début de l'AG {token}-early\n");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(list.Cli.DataDir));

        // Far enough ahead that two CLI runs on a loaded 2-core machine finish before it (a CI run with a publish beside the
        // tests: at +10 s, `status` ran after the capture and rightly no longer said it was pending).
        var at = DateTimeOffset.Now.AddSeconds(20);
        var submit = await list.Cli.SucceedAsync("submit", list.Name, "--pad", $"{Etherpad.Url}/p/{pad}", "--at", at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        var submissionId = submit.Stdout.Trim();
        Assert.Contains("will be read and sent at", submit.Stderr, StringComparison.Ordinal);
        var pending = await list.Cli.SucceedAsync("status", submissionId);
        Assert.Contains("the pad will be read and sent at", pending.Stdout, StringComparison.Ordinal);

        var final = $"# CR de l'AG\n\nDécisions finales {token}-late ✊ 🎉\n";
        await Etherpad.SetTextAsync(pad, final);
        await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count == 3, TimeSpan.FromSeconds(90), () => worker.Output);

        Assert.All(SinkCounts.ArrivalTimes(list.Sink), arrival => Assert.True(arrival >= at.AddSeconds(-1), $"arrived {arrival:O}, capture at {at:O}"));
        await list.AssertEachMemberReceivedAsync(0, await Etherpad.GetTextAsync(pad), "CR de l'AG");
        var done = await list.Cli.SucceedAsync("status", submissionId);
        Assert.Contains("3/3 delivered", done.Stdout, StringComparison.Ordinal);
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, token));
        Assert.Empty(DataDirScan.FilesContaining(list.Cli.DataDir, pad));
        Assert.DoesNotContain(token, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(pad, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitPadAt_RetriesThenTellsTheAdminsEncrypted_WhenThePadIsUnreachableAtThatTime()
    {
        await using var list = await IntakeList.CreateAsync("capfail");
        var admin = list.Members[0].Email;
        await list.Cli.SucceedAsync("member", "set", list.Name, admin, "--admin");
        var hedgedoc = new TinyHttpServer();
        hedgedoc.SetNote("note-ag", "# CR\n\nÀ envoyer plus tard.\n");
        await using var worker = WorkerProcess.Start(WorkerEnvironment.For(list.Cli.DataDir));

        var at = DateTimeOffset.Now.AddSeconds(6);
        var submissionId = (await list.Cli.SucceedAsync("submit", list.Name, "--pad", $"{hedgedoc.Url}/note-ag",
            "--at", at.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture))).Stdout.Trim();
        hedgedoc.Dispose(); // The pad server is down at the end of the AG.

        await SinkCounts.WaitUntilAsync(() => list.Sink.MessageFiles().Count >= 1, TimeSpan.FromSeconds(90), () => worker.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var notice = Assert.Single(list.Sink.MessageFiles());
        Assert.Equal(admin, MimeKit.MimeMessage.Load(notice).Headers["X-Sink-Rcpt-To"]!.Trim(), ignoreCase: true);
        var inner = await OpenedMail.DecryptAsync(notice, list.SecretKeyOf(admin));
        var text = OpenedMail.PlainText(inner);
        // In the list's language: French by default.
        Assert.Contains("n'a pas pu être lu, rien n'a été envoyé", text, StringComparison.Ordinal);
        Assert.Contains($"cannot reach 127.0.0.1:{hedgedoc.Port}", text, StringComparison.Ordinal);
        Assert.True(SinkCounts.ArrivalTimes(list.Sink)[0] >= at.AddSeconds(3), "the capture is retried before the admins are told");
        var status = await list.Cli.RunAsync("status", submissionId);
        Assert.Equal(3, status.ExitCode);
        Assert.Contains("could not be read", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("(Unreachable)", status.Stdout, StringComparison.Ordinal);
    }
}
