using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage.SQLite;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary>
/// The provider refuses the account with a daily-quota reply (here Postfix itself, answering MAIL FROM as
/// Gmail does: "550 5.4.5 Daily user sending quota exceeded."). No member is failed: the list pauses until
/// the quota should be back (24 hours), the admins are told, and the list resumes by itself.
/// </summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task QuotaReply_PausesTheListUntilTheNextWindow_TellsTheAdmins_AndResumesByItself()
    {
        await using var provider = await MailProvider.StartPrivateAsync();
        using var work = new TempDir();
        using var gpg = new Gpg();
        var list = await ProviderList.CreateAsync(provider, work, gpg);
        await list.Cli.SucceedAsync("provider", "set", list.Name, "--host", "127.0.0.1", "--port", provider.SubmissionsPort.ToString(CultureInfo.InvariantCulture),
            "--security", "tls", "--user", list.Address, "--password-env", ProviderList.PasswordVariable, "--trust-cert", provider.CertificatePath);
        await provider.SetSenderReplyAsync(list.Address, "550 5.4.5 Daily user sending quota exceeded.");

        var token = "jeton-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");
        var submittedAt = DateTimeOffset.UtcNow;
        var submit = await list.Cli.RunAsync("submit", list.Name, "--file", minutes, "--wait", "--json");

        Assert.Equal(3, submit.ExitCode);
        var error = Assert.Single(submit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("says the sending quota is used up: 550 5.4.5", error, StringComparison.Ordinal);
        Assert.Contains("Daily user sending quota exceeded.; sending resumes by itself at", error, StringComparison.Ordinal);
        Assert.EndsWith($"(sending is paused, nothing is lost: nothing to fix; to resume earlier: secureminutes list resume {list.Name})", error, StringComparison.Ordinal);
        var report = JsonDocument.Parse(submit.Stdout).RootElement;
        Assert.All(report.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("queued", d.GetProperty("state").GetString()));

        var doctor = await list.Cli.RunAsync("doctor", list.Name);
        Assert.Contains("FAIL  sender    127.0.0.1 says the account's sending quota is used up: 550 5.4.5", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains($"(fix: nothing to fix; to resume earlier: secureminutes list resume {list.Name})", doctor.Stdout, StringComparison.Ordinal);

        // The resumption is a scheduled job, 24 hours on (a daily quota may be a rolling day).
        using var storage = new SQLiteStorage(Path.Combine(list.Cli.DataDir, "jobs.db"), new SQLiteStorageOptions());
        var scheduled = storage.GetMonitoringApi().ScheduledJobs(0, 50).Single(j => j.Value.Job.Type.Name == "ResumeListJob");
        Assert.InRange(scheduled.Value.EnqueueAt, submittedAt.UtcDateTime.AddHours(24).AddMinutes(-1), DateTime.UtcNow.AddHours(24).AddMinutes(1));

        // A day later the quota is back: the job runs (brought forward here), the list resumes, everything goes out.
        await provider.SetSenderReplyAsync(list.Address, null);
        new BackgroundJobClient(storage).Requeue(scheduled.Key);
        var environment = WorkerEnvironment.For(list.Cli.DataDir);
        environment[ProviderList.PasswordVariable] = list.Password;
        await using (var worker = WorkerProcess.Start(environment))
        {
            var finished = await CrashRecoveryTests.WaitForFinishedAsync(list.Cli, report.GetProperty("submission").GetString()!);
            Assert.All(finished.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("state").GetString()));
            Assert.Contains("ok    sending   not paused", (await list.Cli.RunAsync("doctor", list.Name)).Stdout, StringComparison.Ordinal);
        }

        // The admin was told, in an encrypted notice in the list's language (French by default), when sending would resume; and got the minutes.
        var admin = list.Members[0];
        var inbox = await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, admin.Address, admin.Password, 2, work.Combine("fetched"));
        Assert.Equal(2, inbox.Count);
        var results = new List<int>();
        foreach (var copy in inbox)
        {
            var notice = await PeerChecker.CheckAsync(copy.Path, admin.SecretKey, admin.PublicKey, list.ListKeyPath,
                "reprend seul le", $"[{list.Name}] quota du fournisseur atteint");
            var minutesCopy = await PeerChecker.CheckAsync(copy.Path, admin.SecretKey, admin.PublicKey, list.ListKeyPath, token, "CR");
            results.Add((notice.ExitCode == 0 ? 1 : 0) + (minutesCopy.ExitCode == 0 ? 2 : 0));
        }

        Assert.Equal([1, 2], results.Order());
    }
}
