namespace SecureMinutes.Tests.Support;

/// <summary>A clock the test moves forward (days before a key expires, then past it).</summary>
internal sealed class MutableClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
