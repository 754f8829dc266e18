namespace SecureMinutes.Distribution;

/// <summary>One member's copy has a final or new state: for progress bars and live status pages.</summary>
public sealed record DeliveryProgress(int Done, int Total, Delivery Last);

/// <summary>Why a delivery run ended. Every case is an expected outcome; exceptions are kept for the unexpected.</summary>
public abstract record DeliveryStop
{
    private DeliveryStop()
    {
    }

    /// <summary>Every pending copy of the run got an answer. Some may be failed-transient: the batch job retries those.</summary>
    public sealed record Finished : DeliveryStop;

    /// <summary>
    /// Nothing more can be sent until an admin acts: the provider refused our login, TLS certificate or sender
    /// address, our settings are incomplete, or the list key is revoked. Copies stay queued, unblamed.
    /// </summary>
    public sealed record NeedsAdmin(string Reason) : DeliveryStop;

    /// <summary>The account's sending quota is used up; it should be back after <paramref name="RetryAfter"/> (unknown: null).</summary>
    public sealed record QuotaExceeded(string Reason, TimeSpan? RetryAfter) : DeliveryStop;

    /// <summary>The connection kept dropping (several reconnects in a row failed): the batch job retries later.</summary>
    public sealed record ConnectionLost(string Reason) : DeliveryStop;

    /// <summary>
    /// The list must not send now: its daily cap is used up, or its next slot (its rate, a provider's cool-down) is
    /// further away than a batch waits in place. The run comes back at <paramref name="At"/>; no retry is used up.
    /// </summary>
    public sealed record ResumeAt(DateTimeOffset At, string Reason) : DeliveryStop;
}

/// <summary>
/// What one run over a batch did: copies delivered, failed (for good or for now) and skipped (no usable key,
/// no longer a member), rate-limit replies absorbed by slowing down (<see cref="Deferrals"/>), and why it ended.
/// </summary>
public sealed record DeliveryRunResult(int Delivered, int Failed, int Skipped, int Deferrals, DeliveryStop Stop)
{
    /// <summary>A run that found nothing pending.</summary>
    public static DeliveryRunResult Nothing { get; } = new(0, 0, 0, 0, new DeliveryStop.Finished());
}
