using System.ComponentModel;
using Hangfire;
using Hangfire.Storage;
using SecureMinutes.MailIn;

namespace SecureMinutes.Jobs;

/// <summary>
/// Hangfire's entry point for a list's recurring mail-in fetch (<see cref="ScheduledFetch"/>). One at a time
/// per list: a run that finds the previous one still going (a slow provider, Tor) skips its turn instead of
/// queueing behind it, so fetches never pile up and starve deliveries of workers; the exactly-once
/// bookkeeping in <see cref="MailInProcessor"/> makes even an overlap harmless. No retries: the next minute is the retry.
/// </summary>
public sealed class MailInJob(ScheduledFetch fetch, JobStorage storage)
{
    [DisplayName("Mail-in of list {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long listId, CancellationToken cancellationToken)
    {
        using var connection = storage.GetConnection();
        IDisposable fetching;
        try
        {
            // No wait at all: a skipped turn must leave its worker at once. Waiting even a second per skip lets
            // frequent schedules queue mail-in runs faster than they are skipped, and deliveries starve behind them.
            fetching = connection.AcquireDistributedLock($"secureminutes:mail-in:{listId}", TimeSpan.Zero);
        }
        catch (DistributedLockTimeoutException)
        {
            return;
        }

        using (fetching)
        {
            await fetch.RunAsync(listId, cancellationToken);
        }
    }
}
