namespace SecureMinutes.Tests.Support;

/// <summary>A clock tests move by hand (timers still run on real time, so keep waits short).</summary>
internal sealed class SettableTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
