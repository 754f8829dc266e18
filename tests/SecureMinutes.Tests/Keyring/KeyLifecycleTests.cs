using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keyring;

/// <summary>The daily expiry warnings, run against a fake clock: each threshold is told once, and a dead key is reported once.</summary>
public sealed class KeyLifecycleTests : IAsyncLifetime, IDisposable
{
    private const string ListName = "ag";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = Start.AddDays(45);
    private readonly TestServices _services = new(Start);
    private MailingList _list = null!;

    public async Task InitializeAsync()
    {
        _list = await _services.Get<ListService>().CreateAsync(ListName, "ag@lists.example.test", "AG");
        var membership = _services.Get<Membership>();
        await membership.AddAsync(ListName, "admin@example.org", TestKeys.FixtureBytes("ed25519"), "k", new MemberOptions(AllowUserIdMismatch: true, IsAdmin: true));
        var expiring = TestKeyBuilder.Create("Camille <camille@example.org>", Start).Expiring(Expiry).WithCv25519Subkey().Build();
        await membership.AddAsync(ListName, "camille@example.org", expiring.GetEncoded(), "camille.asc", new MemberOptions());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    /// <summary>Runs the job on <paramref name="day"/> (days before expiry; negative: after) and returns the notices it created.</summary>
    private async Task<(List<string> ToCamille, List<string> ToAdmins)> RunOn(double daysBeforeExpiry)
    {
        _services.Clock.Now = Expiry.AddDays(-daysBeforeExpiry);
        var before = (await _services.Get<SubmissionStore>().LatestAsync(_list.Id, SubmissionKind.Notice, 100)).Select(s => s.Id).ToHashSet();
        await _services.Get<KeyLifecycle>().RunAsync(_list, default);
        var created = (await _services.Get<SubmissionStore>().LatestAsync(_list.Id, SubmissionKind.Notice, 100)).Where(s => !before.Contains(s.Id)).ToList();
        var toCamille = new List<string>();
        var toAdmins = new List<string>();
        foreach (var submission in created)
        {
            var copy = Assert.Single(await _services.Get<DeliveryStore>().ListAsync(submission.Id));
            var text = ((MimeKit.TextPart)(await _services.Get<DistributionService>().OpenPayloadAsync(submission.Id)).BodyParts[0]).Text;
            Assert.Equal(DeliveryState.Queued, copy.State);
            (copy.Email == "camille@example.org" ? toCamille : toAdmins).Add(text);
        }

        return (toCamille, toAdmins);
    }

    [Fact]
    public async Task Run_WarnsTheMemberOncePerThreshold_AndTheAdmins_ThenReportsTheExpiredKeyOnce()
    {
        Assert.Equal((0, 0), Count(await RunOn(31)));

        var first = await RunOn(29.5);
        Assert.Equal((1, 1), Count(first));
        Assert.Contains("expire le 15/02/2026 (dans 30 jour(s))", first.ToCamille[0], StringComparison.Ordinal);
        Assert.Contains("Thunderbird", first.ToCamille[0], StringComparison.Ordinal);
        Assert.Contains("OpenKeychain", first.ToCamille[0], StringComparison.Ordinal);
        Assert.Contains("camille@example.org", first.ToAdmins[0], StringComparison.Ordinal);

        Assert.Equal((0, 0), Count(await RunOn(29)));
        Assert.Equal((0, 0), Count(await RunOn(20)));
        Assert.Equal((1, 1), Count(await RunOn(6.5)));
        Assert.Equal((0, 0), Count(await RunOn(6)));
        Assert.Equal((1, 1), Count(await RunOn(0.5)));
        Assert.Equal((0, 0), Count(await RunOn(0.25)));

        var expired = await RunOn(-1);
        Assert.Equal((0, 1), Count(expired));
        Assert.Contains("Envois suspendus", expired.ToAdmins[0], StringComparison.Ordinal);
        Assert.Equal((0, 0), Count(await RunOn(-2)));
        var audit = await _services.Get<AuditStore>().ListAsync(_list.Id);
        Assert.Single(audit, e => e.Action == AuditActions.KeyExpired && e.MemberEmail == "camille@example.org");
    }

    [Fact]
    public async Task Run_SendsOneWarning_WhenSeveralThresholdsWereCrossedSinceTheLastRun()
    {
        var late = await RunOn(5);

        Assert.Equal((1, 1), Count(late));
        Assert.Contains("(dans 5 jour(s))", late.ToCamille[0], StringComparison.Ordinal);
        Assert.Equal((0, 0), Count(await RunOn(4)));
        Assert.Equal((1, 1), Count(await RunOn(0.9)));
    }

    [Fact]
    public async Task Run_DoesNotReportARevocation_TheRefreshJobAlreadyReported()
    {
        _services.Clock.Now = DateTimeOffset.UtcNow;
        var membership = _services.Get<Membership>();
        await membership.AddAsync(ListName, "sq@example.org", TestKeys.FixtureBytes("sq-cv25519"), "k", new MemberOptions());
        var revocation = Tool.Succeed("sq", null, "revoke", "certificate", "--certificate", TestKeys.FixturePath("sq-cv25519", secret: true), "compromised", "lost");
        using var gpg = new GnuPG();
        gpg.Run(TestKeys.FixtureBytes("sq-cv25519"), "--import");
        gpg.Run(revocation, "--import");
        var revoked = await membership.AddAsync(ListName, "sq@example.org", System.Text.Encoding.ASCII.GetBytes(gpg.Run([], "--armor", "--export", TestKeys.Expected("sq-cv25519").Primary).Output), "k", new MemberOptions());
        Assert.Equal("revoked", KeyLifecycle.DeadKeyEvent(revoked.Key));
        // What KeyRefreshJob records when it tells the admins of a revocation it picked up.
        Assert.True(await _services.Get<KeyNoticeStore>().TryClaimAsync(revoked.Member.Id, revoked.Member.Fingerprint, "revoked", _services.Clock.Now));

        var report = await _services.Get<KeyLifecycle>().RunAsync(_list, default);

        Assert.DoesNotContain(report.Suspended, s => s.Member.Email == "sq@example.org");
    }

    private static (int, int) Count((List<string> ToCamille, List<string> ToAdmins) notices) => (notices.ToCamille.Count, notices.ToAdmins.Count);
}
