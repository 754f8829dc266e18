using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Distribution;

/// <summary>
/// The adaptive slowdown on a real SQLite pacing row, with a clock moved by hand: a provider's "slow down"
/// halves the list's rate once per burst, stops it for a cool-down, and recovers gradually.
/// </summary>
public sealed class SendPacerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);
    private static readonly ThrottleRecovery Recovery = new(990, TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));
    private readonly TestServices _services = new();
    private readonly TestClock _time = new(Start);
    private readonly PacingStore _pacing;
    private readonly ListService _lists;
    private MailingList _list = null!;

    public SendPacerTests()
    {
        _pacing = _services.Get<PacingStore>();
        _lists = _services.Get<ListService>();
    }

    public async Task InitializeAsync() => _list = await _lists.CreateAsync("ag", "ag@lists.example.test", null);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private SendPacer Pacer(TimeSpan? cooldown = null) =>
        new(_pacing, new DeliveryOptions { ThrottleCooldown = cooldown ?? TimeSpan.FromMinutes(1) }, _time);

    /// <summary>The slot the pacer gives when it says "send now" (the test fails on any other decision).</summary>
    private static async Task<SendSlot> SendNowAsync(SendPacer pacer, MailingList list) =>
        Assert.IsType<PaceDecision.SendNow>(await pacer.WaitForSlotAsync(list, CancellationToken.None)).Slot;

    /// <summary>Sends <paramref name="count"/> messages 10 ms apart, as fast as an unlimited list goes.</summary>
    private async Task<List<SendSlot>> BurstAsync(SendPacer pacer, int count)
    {
        var slots = new List<SendSlot>();
        for (var i = 0; i < count; i++)
        {
            slots.Add(await SendNowAsync(pacer, _list));
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        return slots;
    }

    [Fact]
    public async Task Throttled_DoublesTheSpacingOfTheRateAchieved_AndStopsSendingForTheCoolDown()
    {
        var pacer = Pacer();
        var slots = await BurstAsync(pacer, 40);

        Assert.True(await pacer.ThrottledAsync(_list, slots[^1], CancellationToken.None));

        var state = await _pacing.GetAsync(_list.Id);
        // 40 messages in 400 ms is 10 ms apart; doubled from the 100 ms floor, since 10 ms is below it.
        Assert.Equal(TimeSpan.FromMilliseconds(200), state.ThrottleInterval);
        Assert.Equal(_time.Now + TimeSpan.FromMinutes(1), state.ThrottledUntil);
        Assert.Equal((1, 1), (state.ThrottleCount, state.DeferralCount));
        // Nothing goes out during the cool-down: the next slot is its end, then 1% less than 200 ms apart.
        Assert.Equal(state.ThrottledUntil, await _pacing.ReserveSlotAsync(_list.Id, _time.Now, TimeSpan.Zero, Recovery, TimeSpan.FromMinutes(2)));
        Assert.Equal(state.ThrottledUntil + TimeSpan.FromMilliseconds(198), await _pacing.ReserveSlotAsync(_list.Id, _time.Now, TimeSpan.Zero, Recovery, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task UnpacedList_GetsAWholeGroupOfSlots_APacedOrSlowedOneGetsOneAtATime()
    {
        var pacer = Pacer();
        var group = Assert.IsType<PaceDecision.SendNow>(await pacer.WaitForSlotsAsync(_list, 25, CancellationToken.None));
        Assert.Equal(25, group.Count);
        Assert.Equal(25, (await _pacing.GetAsync(_list.Id)).WindowCount);

        var paced = Assert.IsType<PaceDecision.SendNow>(await pacer.WaitForSlotsAsync(_list with { RatePerMinute = 600 }, 25, CancellationToken.None));
        Assert.Equal(1, paced.Count);
        var capped = Assert.IsType<PaceDecision.SendNow>(await pacer.WaitForSlotsAsync(_list with { DailyCap = 100 }, 25, CancellationToken.None));
        Assert.Equal(1, capped.Count);

        await pacer.ThrottledAsync(_list, group.Slot, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var slowed = Assert.IsType<PaceDecision.SendNow>(await pacer.WaitForSlotsAsync(_list, 25, CancellationToken.None));
        Assert.Equal(1, slowed.Count);
    }

    [Fact]
    public async Task Throttled_SlowsTheListOnce_ForRepliesToMessagesAlreadyOnTheirWay()
    {
        var pacer = Pacer();
        var slots = await BurstAsync(pacer, 4);

        // Four workers' messages were reserved before the first reply: one slowdown, four replies counted.
        var applied = new List<bool>();
        foreach (var slot in slots)
        {
            applied.Add(await pacer.ThrottledAsync(_list, slot, CancellationToken.None));
        }

        Assert.Equal([true, false, false, false], applied);
        var state = await _pacing.GetAsync(_list.Id);
        Assert.Equal((1, 4), (state.ThrottleCount, state.DeferralCount));
        Assert.Equal(TimeSpan.FromMilliseconds(200), state.ThrottleInterval);
    }

    [Fact]
    public async Task ThrottledAgain_AfterTheCoolDown_DoublesTheSpacingAgain_FromTheListsOwnRate()
    {
        var list = _list with { RatePerMinute = 120 }; // 500 ms apart
        var pacer = Pacer(TimeSpan.FromMilliseconds(50));
        var first = await SendNowAsync(pacer, list);
        Assert.True(await pacer.ThrottledAsync(list, first, CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(1), (await _pacing.GetAsync(_list.Id)).ThrottleInterval);

        // Right at the end of the cool-down (1 s, the new spacing), so the achieved rate adds nothing.
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await SendNowAsync(pacer, list);
        Assert.True(await pacer.ThrottledAsync(list, second, CancellationToken.None));

        // The second reservation relaxed 1 s to 990 ms; doubled: 1.98 s, about 30 messages a minute.
        Assert.Equal(TimeSpan.FromMilliseconds(1980), (await _pacing.GetAsync(_list.Id)).ThrottleInterval);
    }

    [Fact]
    public async Task Slowdown_RelaxesOnePercentPerMessage_AndIsForgottenAfterAQuietDay()
    {
        await _pacing.RecordThrottleAsync(_list.Id, Start, Start, TimeSpan.FromSeconds(1), Start);
        var now = Start;
        for (var i = 0; i < 69; i++)
        {
            now += TimeSpan.FromSeconds(5);
            await _pacing.ReserveSlotAsync(_list.Id, now, TimeSpan.Zero, Recovery, TimeSpan.FromMinutes(2));
        }

        // 0.99^69 ≈ 0.50: about halved after 70 messages (integer milliseconds round down each step).
        Assert.InRange((await _pacing.GetAsync(_list.Id)).ThrottleInterval.TotalMilliseconds, 470, 500);

        await _pacing.ReserveSlotAsync(_list.Id, Start + TimeSpan.FromDays(2), TimeSpan.Zero, Recovery, TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.Zero, (await _pacing.GetAsync(_list.Id)).ThrottleInterval);
    }

    [Fact]
    public async Task Throttled_GivesBackTheDailyCapUnit_OfTheCopyTheProviderDidNotTake()
    {
        var list = _list with { DailyCap = 2 };
        var pacer = Pacer(TimeSpan.FromMilliseconds(1));
        var slot = await SendNowAsync(pacer, list);
        await pacer.ThrottledAsync(list, slot, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Two more fit in the cap of two: the deferred attempt did not count.
        await SendNowAsync(pacer, list);
        _time.Advance(TimeSpan.FromSeconds(1));
        await SendNowAsync(pacer, list);
        var capped = Assert.IsType<PaceDecision.CapReached>(await pacer.WaitForSlotAsync(list, CancellationToken.None));
        Assert.Equal(2, capped.Cap);
    }

    [Fact]
    public async Task WaitForSlot_HandsTheBatchBack_WhenTheCoolDownIsLongerThanItMayWaitInPlace()
    {
        var pacer = Pacer(TimeSpan.FromMinutes(10));
        var slot = await SendNowAsync(pacer, _list);
        await pacer.ThrottledAsync(_list, slot, CancellationToken.None);

        var deferred = Assert.IsType<PaceDecision.WaitUntil>(await pacer.WaitForSlotAsync(_list, CancellationToken.None));

        Assert.Equal(_time.Now + TimeSpan.FromMinutes(10), deferred.At);
        // Handing back reserves nothing: the slot after the cool-down is still free.
        Assert.Equal(deferred.At, (await _pacing.GetAsync(_list.Id)).ThrottledUntil);
        Assert.True((await _pacing.GetAsync(_list.Id)).NextSlot <= _time.Now);
    }
}
