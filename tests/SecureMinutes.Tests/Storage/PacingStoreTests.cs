using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;
using SecureMinutes.Lists;

namespace SecureMinutes.Tests.Storage;

/// <summary>Send slots and daily caps shared by every worker through one database row per list.</summary>
public sealed class PacingStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TestServices _services = new();
    private readonly PacingStore _pacing;
    private readonly ListService _lists;
    private long _listId;

    public PacingStoreTests()
    {
        _pacing = _services.Get<PacingStore>();
        _lists = _services.Get<ListService>();
    }

    public async Task InitializeAsync() => _listId = (await _lists.CreateAsync("ag", "ag@lists.example.test", null)).Id;

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private static readonly ThrottleRecovery NoThrottle = new(KeepPerMille: 990, ForgetAfter: TimeSpan.FromDays(1), Window: TimeSpan.FromMinutes(1));

    private async Task<DateTimeOffset> Reserve(DateTimeOffset now, TimeSpan interval) =>
        await _pacing.ReserveSlotAsync(_listId, now, interval, NoThrottle, maxWait: TimeSpan.FromHours(1)) ?? throw new InvalidOperationException("no slot");

    [Fact]
    public async Task ReserveSlot_SpacesConcurrentSendersEvenly()
    {
        var now = DateTimeOffset.UtcNow;
        var interval = TimeSpan.FromMilliseconds(100);

        var slots = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Reserve(now, interval)));

        var ordered = slots.OrderBy(s => s).ToList();
        Assert.Equal(20, ordered.Distinct().Count());
        Assert.Equal(now.ToUnixTimeMilliseconds(), ordered[0].ToUnixTimeMilliseconds());
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.Equal(interval, ordered[i] - ordered[i - 1]);
        }
    }

    [Fact]
    public async Task ReserveSlot_DoesNotBankUnusedTime()
    {
        var interval = TimeSpan.FromSeconds(1);
        var early = DateTimeOffset.UtcNow.AddMinutes(-10);
        await Reserve(early, interval);

        var now = DateTimeOffset.UtcNow;
        var first = await Reserve(now, interval);
        var second = await Reserve(now, interval);

        Assert.Equal(now.ToUnixTimeMilliseconds(), first.ToUnixTimeMilliseconds());
        Assert.Equal(interval, second - first);
    }

    [Fact]
    public async Task TryCountToday_StopsAtTheCap_AndStartsAgainTheNextUtcDay()
    {
        var day = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await _pacing.TryCountTodayAsync(_listId, day.AddMinutes(i), cap: 3));
        }

        Assert.False(await _pacing.TryCountTodayAsync(_listId, day.AddHours(13), cap: 3));
        Assert.True(await _pacing.TryCountTodayAsync(_listId, day.AddDays(1).Date, cap: 3));
    }
}
