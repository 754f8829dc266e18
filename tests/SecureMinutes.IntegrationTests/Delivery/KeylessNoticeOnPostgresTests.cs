using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Delivery;

/// <summary>
/// The keyless notice's claims (<see cref="KeylessNoticeStore"/>, issue 11) on PostgreSQL, not only on SQLite: one
/// conditional upsert, so workers racing for a member claim one notice; none again within the week, one after it; a
/// retried job finds its claim pending until it is marked done.
/// </summary>
public sealed class KeylessNoticeOnPostgresTests
{
    [Fact]
    public async Task Claims_AreOnePerMemberAWeek_EvenWhenWorkersRace_OnPostgreSql()
    {
        using var work = new TempDir();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var services = new InProcess(work.Combine("data"), await PostgresServer.CreateDatabaseAsync(), clock);
        await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var member = (await services.Get<Membership>().AddAsync("ag", "sacha@members.example.test", await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")),
            "sacha.pub.asc", new MemberOptions(AllowUserIdMismatch: true))).Member;
        var store = services.Get<KeylessNoticeStore>();
        var now = clock.GetUtcNow();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.TryClaimAsync(member.Id, $"s-{i}", now, now - KeylessNotices.Interval))));
        Assert.Single(claims, claimed => claimed);
        var winner = $"s-{Array.IndexOf(claims, true)}";
        Assert.Equal([member.Id], await store.PendingAsync(winner));

        await store.MarkDoneAsync(member.Id, winner, now);
        Assert.Empty(await store.PendingAsync(winner));
        var later = now + TimeSpan.FromDays(6);
        Assert.False(await store.TryClaimAsync(member.Id, "s-later", later, later - KeylessNotices.Interval));
        var nextWeek = now + TimeSpan.FromDays(8);
        Assert.True(await store.TryClaimAsync(member.Id, "s-next", nextWeek, nextWeek - KeylessNotices.Interval));
        Assert.Equal([member.Id], await store.PendingAsync("s-next"));

        await store.ReleaseAsync("s-next", [member.Id]);
        Assert.Empty(await store.PendingAsync("s-next"));
        Assert.True(await store.TryClaimAsync(member.Id, "s-again", nextWeek, nextWeek - KeylessNotices.Interval));
    }
}
