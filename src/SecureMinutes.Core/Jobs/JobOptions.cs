namespace SecureMinutes.Jobs;

/// <summary>How the Hangfire server runs; defaults suit production, tests shorten the waits.</summary>
public sealed record JobOptions
{
    /// <summary>
    /// How long a fetched job stays invisible to other workers. A job whose process died is picked up again
    /// only after this (Hangfire's storages default to 30 minutes). Deliveries are safe to run twice (every
    /// copy is claimed in the database), so this is set short enough for a crash to delay mail by minutes.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle workers look for new jobs.</summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often scheduled jobs ("send at 22:00", retries) are checked for being due.</summary>
    public TimeSpan SchedulePollingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs run at once per process. Each delivery batch holds one SMTP connection.</summary>
    public int WorkerCount { get; init; } = 4;

    /// <summary>Cron schedule of each list's mail-in fetch (six fields for seconds, as tests use).</summary>
    public string IntakeSchedule { get; init; } = "* * * * *";
}
