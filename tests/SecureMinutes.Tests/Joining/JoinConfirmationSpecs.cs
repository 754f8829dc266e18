using System.Text.RegularExpressions;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.Joining;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Joining;

/// <summary>What was noticed after joining shipped: a double tap counted an invite use twice, and requests were swept only when the pages were used.</summary>
public sealed partial class JoinConfirmationSpecs : IAsyncLifetime
{
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync(publicUrl: "https://minutes.example.test");

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task TwoTapsAtOnce_MakeOneMember_AndCountOneUseOfTheInvite()
    {
        var link = await RequestAsync("dora@example.org");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _scenario.Get<JoinRequests>().ConfirmAsync(link))));

        Assert.Single(outcomes, o => o is JoinOutcome.Joined);
        Assert.Equal(3, outcomes.Count(o => o is JoinOutcome.Invalid));
        Assert.Equal(1, Assert.Single(await _scenario.Get<JoinInviteStore>().ListAsync(_scenario.List.Id)).Uses);
    }

    [Fact]
    public async Task DailySweep_DeletesExpiredRequests_WithoutAnyoneOpeningTheJoinPages()
    {
        await RequestAsync("dora@example.org");
        _scenario.Clock.Advance(JoinLimits.Default.ChallengeLifetime + TimeSpan.FromMinutes(1));

        var swept = await _scenario.Get<SelfServiceSweep>().RunAsync(default);

        Assert.Equal(1, swept.JoinRequests);
        Assert.Contains(await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id), a => a.Action == JoinAuditActions.JoinExpired);
    }

    private async Task<string> RequestAsync(string email)
    {
        var invite = await _scenario.Get<JoinInvites>().CreateAsync("ag", TimeSpan.FromDays(2), 10, needsApproval: false, "test");
        var key = TestKeyBuilder.Create($"Dora <{email}>", _scenario.Clock.GetUtcNow()).WithCv25519Subkey().Build().GetEncoded();
        var judged = await _scenario.Get<JoinRequests>().RequestAsync(invite.Link.AbsolutePath.Split('/')[^1], email, key, "dora.asc", language: null);
        Assert.Null(judged.Refusal);
        var notice = Assert.Single(await _scenario.NoticesAsync());
        var text = ((TextPart)(await _scenario.Get<DistributionService>().OpenPayloadAsync(notice.Id)).BodyParts[0]).Text;
        return ConfirmLink().Match(text).Groups[1].Value;
    }

    [GeneratedRegex(@"/join/confirm/([A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();
}
