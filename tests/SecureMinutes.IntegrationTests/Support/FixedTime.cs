namespace SecureMinutes.IntegrationTests.Support;

/// <summary>A clock set to another moment (e.g. when a fixture key was still valid).</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
