using SecureMinutes.Mail;
using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.MailIn;

/// <summary>
/// A list's scheduled mail-in fetch (<see cref="MailInProcessor"/>). When the mailbox refuses the login or the
/// certificate, or the password variable is missing, the admins get one encrypted notice per problem (not
/// one a minute) and the failure is rethrown, so the job dashboard and the log show it; the next fetch tries again.
/// </summary>
public sealed class ScheduledFetch(MailInProcessor processor, IntakeStore intakes, ListStore lists, AdminNotices notices)
{
    /// <summary>False when the list no longer has an intake mailbox (removed since the schedule was made).</summary>
    public async Task<bool> RunAsync(long listId, CancellationToken cancellationToken)
    {
        if (await intakes.FindAsync(listId, cancellationToken) is null)
        {
            return false;
        }

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
        return true;
    }
}
