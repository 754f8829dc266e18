using System.ComponentModel;
using Hangfire;
using Hangfire.Storage;
using SecureMinutes.Mail;
using SecureMinutes.MailIn;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// A list's recurring mail-in fetch. One at a time per list: a run that finds the previous one still
/// going (a slow provider, Tor) skips its turn instead of queueing behind it, so fetches never pile up
/// and starve deliveries of workers; the exactly-once bookkeeping in <see cref="MailInProcessor"/> makes
/// even an overlap harmless. When the
/// mailbox refuses the login or the certificate, or the password variable is missing, the admins get one
/// encrypted notice per problem (not one a minute); the run still fails, so the dashboard and log show it,
/// and the next minute tries again.
/// </summary>
public sealed class MailInJob(MailInProcessor processor, IntakeStore intakes, ListStore lists, AdminNotices notices, JobStorage storage)
{
    [DisplayName("Mail-in of list {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long listId, CancellationToken cancellationToken)
    {
        if (await intakes.FindAsync(listId, cancellationToken) is null)
        {
            return; // Removed since the recurring job last synced.
        }

        using var connection = storage.GetConnection();
        IDisposable fetching;
        try
        {
            fetching = connection.AcquireDistributedLock($"secureminutes:mail-in:{listId}", TimeSpan.FromSeconds(1));
        }
        catch (DistributedLockTimeoutException)
        {
            return;
        }

        using (fetching)
        {
            await FetchAsync(listId, cancellationToken);
        }
    }

    private async Task FetchAsync(long listId, CancellationToken cancellationToken)
    {
        try
        {
            await processor.RunAsync(listId, cancellationToken);
        }
        catch (TransportException ex) when (ex.NeedsAdmin)
        {
            if (await intakes.SetFailureAsync(listId, ex.Message, cancellationToken))
            {
                var list = await lists.GetAsync(listId, cancellationToken);
                await notices.SendAsync(list, MailInNoticeText.FetchFailing(list, ex.Message), cancellationToken);
            }

            throw;
        }

        await intakes.SetFailureAsync(listId, null, cancellationToken);
    }
}
