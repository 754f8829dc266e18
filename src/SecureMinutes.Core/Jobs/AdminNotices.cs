using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Tells a list's admins (members flagged <c>--admin</c>) what needs them, by an encrypted mail like any
/// other: sealed at rest, one copy per admin. A list without admins gets no notices; <c>status</c> says so.
/// </summary>
public sealed class AdminNotices(MemberStore members, DistributionService distribution, SubmissionDispatcher dispatcher, TimeProvider time)
{
    public async Task<bool> SendAsync(MailingList list, MinutesDocument notice, CancellationToken cancellationToken)
    {
        var admins = (await members.ListAsync(list.Id, cancellationToken)).Where(m => m.IsAdmin).ToList();
        if (admins.Count == 0)
        {
            return false;
        }

        var created = await distribution.CreateAsync(list, SubmissionKind.Notice, MinutesPayload.FromDocument(notice), admins, time.GetUtcNow(), cancellationToken: cancellationToken);
        dispatcher.Dispatch(created.Submission);
        return true;
    }
}
