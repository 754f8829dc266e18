namespace SecureMinutes.Distribution;

/// <summary>Tuning of background delivery; the defaults suit production, tests shorten the waits.</summary>
public sealed record DeliveryOptions
{
    /// <summary>
    /// Copies per batch job: one SMTP connection (TLS and AUTH once) carries a whole batch. 100 (25 before issue 12's
    /// second pass): each batch costs a Hangfire job, a connection and loading its members and personal links, and
    /// fewer, larger batches took a 1,000-member send from 8.8 to 7.5 s of CPU. Servers take that many on one
    /// connection (Postfix and Exim count no messages per connection by default); a provider that closes earlier only
    /// costs a reconnection (<see cref="DeliveryRun"/>). <c>SECUREMINUTES_BATCH_SIZE</c> changes it.
    /// </summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// A copy claimed longer ago than this belongs to a sender that died. It must exceed the time one
    /// message can take (SMTP timeout 60 s), and it bounds how long a crash delays that one copy.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// After a provider's "slow down" reply, how long the list sends nothing. Providers count in windows they do
    /// not announce; Postfix's default (anvil_rate_time_unit) is one minute.
    /// </summary>
    public TimeSpan ThrottleCooldown { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A batch waits this long at most for its next send slot; further away, it is rescheduled for then.</summary>
    public TimeSpan MaxInPlaceWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A second submission of the same minutes to the same list within this window needs <c>--again</c>
    /// (<see cref="SubmissionDuplicates"/>): long enough for a double tap or a command run twice, short enough
    /// that the same minutes can be sent again days later without ceremony.
    /// </summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Waits between retries of a batch whose copies the provider deferred (4xx, lost connection).</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
         TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2)];
}
