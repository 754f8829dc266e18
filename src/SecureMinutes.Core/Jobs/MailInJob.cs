using System.ComponentModel;
using Hangfire;
using SecureMinutes.MailIn;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// A list's recurring mail-in fetch. One at a time per list (a distributed lock on the job storage); the
/// exactly-once bookkeeping in <see cref="MailInProcessor"/> makes even an overlap harmless. A provider that
/// refuses the login or the certificate fails the run (visible in the dashboard and the log); the next
/// minute tries again.
/// </summary>
public sealed class MailInJob(MailInProcessor processor, IntakeStore intakes)
{
    [DisplayName("Mail-in of list {0}")]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long listId, CancellationToken cancellationToken)
    {
        if (await intakes.FindAsync(listId, cancellationToken) is null)
        {
            return; // Removed since the recurring job last synced.
        }

        await processor.RunAsync(listId, cancellationToken);
    }
}
