using SecureMinutes.Accounts;
using SecureMinutes.Distribution;
using SecureMinutes.Joining;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Joining;

/// <summary>
/// The per-invite limit on challenges: an invite link passed around (or a script) cannot make the list mail more than
/// its share in an hour, whatever the addresses; the window slides with the clock. Real SQLite, a fake clock.
/// </summary>
public sealed class JoinLimitSpecs : IAsyncLifetime, IDisposable
{
    private static readonly JoinLimits Limits = JoinLimits.Default with { PerInvite = 2 };
    private readonly TestServices _services = new(environment: name => name == SecureMinutesOptions.PublicUrlVariable ? "https://minutes.example.test" : null);
    private JoinRequests _joining = null!;
    private string _invite = "";
    private long _inviteId;

    public async Task InitializeAsync()
    {
        await _services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var s = _services;
        _joining = new JoinRequests(s.Get<ListStore>(), s.Get<MemberStore>(), s.Get<JoinInviteStore>(), s.Get<JoinRequestStore>(), s.Get<Membership>(),
            s.Get<DistributionService>(), s.Get<Redistribution>(), s.Get<PublicLinks>(), Limits, s.Time);
        var created = await s.Get<JoinInvites>().CreateAsync("ag", TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        _invite = created.Link.AbsolutePath.Split('/')[^1];
        _inviteId = created.Invite.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task AnInvite_SendsAtMostItsLimitOfChallengesAnHour_WhateverTheAddresses_ThenAgainAfterTheWindow()
    {
        Assert.NotNull((await AskAsync("camille")).Accepted);
        Assert.NotNull((await AskAsync("dominique")).Accepted);

        await Assert.ThrowsAsync<JoinLimitException>(() => AskAsync("sacha"));
        Assert.Equal(2, await _services.Get<JoinRequestStore>().CountByInviteAsync(_inviteId, DateTimeOffset.UnixEpoch));

        _services.Clock.Advance(Limits.Window + TimeSpan.FromMinutes(1));
        Assert.NotNull((await AskAsync("sacha")).Accepted);
    }

    /// <summary>A demo member's own address and key (the key names the address, as the judge requires).</summary>
    private async Task<JoinKeyJudgement> AskAsync(string name) => await _joining.RequestAsync(_invite, $"{name}@members.example.test",
        await File.ReadAllBytesAsync(Path.Combine(TestPaths.DemoKeys, $"{name}.pub.asc")), $"{name}.pub.asc", ListLanguage.French);
}
