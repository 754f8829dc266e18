using System.Globalization;
using System.Text.Json;
using SecureMinutes.IntegrationTests.Jobs;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;
using Xunit.Abstractions;

namespace SecureMinutes.IntegrationTests.Provider;

/// <summary>
/// A provider that lets an account send only so much per time window (Postfix's anvil: past the limit, MAIL FROM
/// gets "450 4.7.1 Error: too much mail from 127.0.0.1"). The list knows nothing of the limit; it must slow
/// down by itself and still deliver every member's copy exactly once, failing nobody.
/// Time is scaled down as in the other job tests: the provider counts per 10 s instead of Postfix's default
/// minute, and the list's cool-down after a "slow down" (SECUREMINUTES_THROTTLE_COOLDOWN) is set to match.
/// </summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    private const int Members = 300;
    private const int LimitPerWindow = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly string[] FixtureKeys = ["ed25519", "rsa3072", "sq-cv25519"];

    [Fact]
    public async Task RateLimitedProvider_Gets300MemberDistribution_EveryMemberOnce_AtAnAdaptedRate()
    {
        // Our own provider instance: a rate limit on the shared one would slow every other test using it.
        await using var provider = await MailProvider.StartPrivateAsync(
            ("RATE_LIMIT_MSGS", LimitPerWindow.ToString(CultureInfo.InvariantCulture)), ("RATE_UNIT", "10s"));
        using var work = new TempDir();
        var tag = ProviderList.NewTag();
        var listAddress = $"{tag}@lists.example.test";
        var mailbox = $"{tag}@members.example.test"; // every member is a +tag address delivered into this mailbox
        await provider.AddUsersAsync((listAddress, "list-pw"), (mailbox, "mailbox-pw"));

        var dataDir = work.Combine("data");
        long listId;
        await using (var setup = new InProcess(dataDir))
        {
            listId = (await setup.Get<ListService>().CreateAsync(tag, listAddress, "AG")).Id;
            var keys = FixtureKeys.Select(k => File.ReadAllBytes(RepoPaths.FixtureKey(k + ".pub.asc"))).ToArray();
            for (var i = 1; i <= Members; i++)
            {
                await setup.Get<Membership>().AddAsync(tag, Member(tag, i), keys[i % keys.Length], "fixture", new MemberOptions(AllowUserIdMismatch: true));
            }

            await setup.Get<ProviderSetup>().SetSmtpAsync(tag, new SmtpProviderRequest(Host: "127.0.0.1", Port: provider.SubmissionsPort, Security: "tls",
                User: listAddress, PasswordVariable: ProviderList.PasswordVariable, TrustCertificatePath: provider.CertificatePath));
        }

        var environment = WorkerEnvironment.For(dataDir, workers: 4);
        environment[ProviderList.PasswordVariable] = "list-pw";
        environment["SECUREMINUTES_THROTTLE_COOLDOWN"] = "10s";
        var cli = new CliRunner(dataDir);
        var token = "limite-" + Guid.NewGuid().ToString("N");
        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, $"# CR\n\n{token}\n");

        JsonElement finished;
        await using (var worker = WorkerProcess.Start(environment))
        {
            var submissionId = (await cli.SucceedAsync("submit", tag, "--file", minutes)).Stdout.Trim();
            finished = await WaitForFinishedAsync(cli, submissionId, TimeSpan.FromMinutes(10), () => worker.Output);
        }

        var copies = finished.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(Members, copies.Count);
        Assert.All(copies, c => Assert.True(c.GetProperty("state").GetString() == "delivered", c.ToString()));

        // Every member's copy is in the mailbox exactly once, read back over IMAPS.
        var inbox = await ImapMailbox.FetchAsync("127.0.0.1", provider.ImapsPort, provider.CertificatePath, mailbox, "mailbox-pw", Members,
            work.Combine("fetched"), TimeSpan.FromMinutes(1));
        var perMember = inbox.GroupBy(m => m.Message.To.Mailboxes.Single().Address, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count());
        var twice = perMember.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        Assert.True(inbox.Count == Members, $"{inbox.Count} messages in the mailbox for {Members} members; more than one copy for: {string.Join(", ", twice)}");
        Assert.Equal(Enumerable.Range(1, Members).Select(i => Member(tag, i)).Order(), perMember.Keys.Order());
        Assert.All(perMember.Values, count => Assert.Equal(1, count));
        foreach (var i in new[] { 1, Members / 2, Members })
        {
            var key = FixtureKeys[i % FixtureKeys.Length];
            var copy = inbox.Single(m => m.Message.To.Mailboxes.Single().Address == Member(tag, i));
            await PeerChecker.AssertPassesAsync(copy.Path, RepoPaths.FixtureKey(key + ".sec.asc"), RepoPaths.FixtureKey(key + ".pub.asc"),
                await ListKeyAsync(cli, tag, work), token, "CR");
        }

        // The provider refused many MAIL FROMs; the list saw each refusal, slowed down, and never blamed a member.
        PacingState pacing;
        await using (var local = new InProcess(dataDir))
        {
            pacing = await local.Get<PacingStore>().GetAsync(listId);
        }

        var refusedByProvider = File.ReadLines(provider.PostfixLog).Count(l => l.Contains("Message delivery request rate limit exceeded", StringComparison.Ordinal));
        var delivered = copies.Select(c => DateTimeOffset.Parse(c.GetProperty("deliveredAt").GetString()!, CultureInfo.InvariantCulture)).Order().ToList();
        var span = delivered[^1] - delivered[0];
        var busiestWindow = SinkCounts.MaxInWindow(delivered, Window);
        var firstBurst = delivered[LimitPerWindow - 1] - delivered[0];
        var lastHundred = delivered[^1] - delivered[^100];
        output.WriteLine(FormattableString.Invariant(
            $"rate limit {LimitPerWindow} per {Window.TotalSeconds:F0} s ({LimitPerWindow * 60 / Window.TotalSeconds:F0}/min), {Members} members, 4 workers: ") +
            FormattableString.Invariant($"first to last delivery {span.TotalSeconds:F1} s = {(Members - 1) / span.TotalMinutes:F0}/min; ") +
            FormattableString.Invariant($"first {LimitPerWindow} in {firstBurst.TotalSeconds:F1} s, last 100 at {99 / lastHundred.TotalMinutes:F0}/min; busiest {Window.TotalSeconds:F0} s: {busiestWindow}; ") +
            $"450 replies: {refusedByProvider} logged by Postfix, {pacing.DeferralCount} seen by the list, {pacing.ThrottleCount} slowdowns applied; " +
            FormattableString.Invariant($"spacing at the end {pacing.ThrottleInterval.TotalMilliseconds:F0} ms"));

        Assert.True(refusedByProvider > 0, "the provider's limit was never reached: the test proves nothing");
        Assert.Equal(refusedByProvider, pacing.DeferralCount);
        Assert.InRange(pacing.ThrottleCount, 1, pacing.DeferralCount);
        // Adapted: sustained sending ends below the provider's limit, where it started far above it.
        Assert.True(99 / lastHundred.TotalMinutes < LimitPerWindow * 60 / Window.TotalSeconds, $"last 100 at {99 / lastHundred.TotalMinutes:F0}/min");
        Assert.True(pacing.ThrottleInterval > TimeSpan.Zero);
        // Without hammering the provider: a few refusals per window it had to close, not one per message.
        Assert.True(refusedByProvider < Members / 5, $"{refusedByProvider} refusals for {Members} messages");
    }

    private static string Member(string tag, int i) => $"{tag}+{i.ToString("D4", CultureInfo.InvariantCulture)}@members.example.test";

    private static async Task<string> ListKeyAsync(CliRunner cli, string list, TempDir work)
    {
        var path = work.Combine("list.pub.asc");
        if (!File.Exists(path))
        {
            await File.WriteAllTextAsync(path, (await cli.SucceedAsync("list", "key", list)).Stdout);
        }

        return path;
    }

    private static async Task<JsonElement> WaitForFinishedAsync(CliRunner cli, string submissionId, TimeSpan timeout, Func<string> log)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = JsonDocument.Parse((await cli.SucceedAsync("status", submissionId, "--json")).Stdout).RootElement;
            if (status.GetProperty("finished").GetBoolean())
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not finished after {timeout}: {status.GetProperty("delivered").GetInt32()} delivered\n{log()}");
            await Task.Delay(1000);
        }
    }
}
