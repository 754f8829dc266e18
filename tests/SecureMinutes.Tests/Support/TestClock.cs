namespace SecureMinutes.Tests.Support;

/// <summary>
/// The one fake clock of the tests: "now" is set and moved by hand (days before a key expires, then past it;
/// a send slot 10 ms later), while timers and <c>Task.Delay(…, clock)</c> still run on real time. That is
/// why this is not .NET's FakeTimeProvider, whose timers fire only when a test advances it: the send loop
/// waits for its slots with <c>Task.Delay</c>, and specs keep those waits short and real instead of
/// driving each one by hand.
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    public TestClock() : this(DefaultStart)
    {
    }

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
