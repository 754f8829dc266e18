using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;

namespace SecureMinutes.Notices;

/// <summary>
/// Tells a list's admins (members flagged <c>--admin</c>) what needs them, by an encrypted mail like any
/// other: sealed at rest, one copy per admin. A list without admins gets no notices; <c>status</c> says so.
/// </summary>
public sealed class AdminNotices(MemberStore members, DistributionService distribution)
{
    /// <summary>Queues <paramref name="notice"/> to the admins of <paramref name="list"/>; false when the list has none.</summary>
    public async Task<bool> SendAsync(MailingList list, MinutesDocument notice, CancellationToken cancellationToken)
    {
        var admins = (await members.ListAsync(list.Id, cancellationToken)).Where(m => m.IsAdmin).ToList();
        if (admins.Count == 0)
        {
            return false;
        }

        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(notice), admins), cancellationToken);
        return true;
    }
}
