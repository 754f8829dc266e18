using Microsoft.Extensions.Logging;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.SelfService;

/// <summary>
/// Sends the keyless notices claimed for one submission (<see cref="KeylessNotices"/>), over the list's provider and within
/// its pace (<see cref="SendPacer"/>: the notices count against its rate and daily cap like any copy). Reentrant, as a
/// Hangfire job must be: a claim is marked done once the provider answered it, so a retry sends only what is left. Each
/// mail is made by <see cref="KeylessNoticeMessage"/> from the notice's own fields: signed by the list, not encrypted,
/// without anything of the minutes.
/// </summary>
public sealed partial class KeylessNoticeSender(
    SubmissionStore submissions, ListStore lists, ListService listService, MemberStore members, ProviderStore providers, KeylessNoticeStore store,
    MemberLinks links, SendPacer pacer, IMailTransportFactory transports, TimeProvider time, ILogger<KeylessNoticeSender> logger)
{
    /// <summary>While the list cannot send (paused, its key revoked), the job looks again this often, until the notice is a week old.</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromHours(1);

    /// <summary>
    /// Sends the notices still pending for <paramref name="submissionId"/>. <see cref="BatchNext.Done"/>: nothing left (or
    /// nothing more to try); <see cref="BatchNext.RunAgainAt"/>: the list's pace or state says later; <see cref="BatchNext.Retry"/>:
    /// the provider deferred some (4xx). A failing session throws <see cref="TransportException"/> (Hangfire retries the job).
    /// </summary>
    public async Task<BatchNext> SendAsync(string submissionId, CancellationToken cancellationToken)
    {
        var pending = await store.PendingAsync(submissionId, cancellationToken);
        if (pending.Count == 0 || await submissions.FindAsync(submissionId, cancellationToken) is not { } submission)
        {
            return new BatchNext.Done();
        }

        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        var now = time.GetUtcNow();
        if (list.IsPaused || list.KeyRevokedAt is not null)
        {
            // Told later, or not at all once a week has passed (the next skipped minutes claim the member again).
            return now - submission.SendAt < KeylessNotices.Interval ? new BatchNext.RunAgainAt(now + LookAgain) : new BatchNext.Done();
        }

        if (await providers.FindAsync(list.Id, cancellationToken) is not { } provider)
        {
            LogNoProvider(logger, submissionId);
            return new BatchNext.Done();
        }

        var found = (await members.GetManyAsync(pending, cancellationToken)).ToDictionary(m => m.Id);
        var personal = links.CanLink ? await links.ForMembersAsync(found.Keys.ToList(), cancellationToken) : null;
        using var context = new ListPgpContext(time, await listService.OpenSigningKeyAsync(list, null, cancellationToken));
        var sender = new MailboxAddress(null, list.Address);
        IMailSession? session = null;
        var deferred = 0;
        try
        {
            foreach (var memberId in pending)
            {
                now = time.GetUtcNow();
                var member = found.GetValueOrDefault(memberId);
                var key = member is null ? null : MemberKeys.StateOf(member, now);
                if (member is null || key is null || key.Status.CanReceive())
                {
                    // Gone, or their key works again: the minutes themselves reach them (redistribution), encrypted.
                    await store.MarkDoneAsync(memberId, submissionId, now, CancellationToken.None);
                    continue;
                }

                SendSlot slot;
                switch (await pacer.WaitForSlotAsync(list, cancellationToken))
                {
                    case PaceDecision.SendNow ready:
                        slot = ready.Slot;
                        break;
                    case PaceDecision.WaitUntil wait:
                        return new BatchNext.RunAgainAt(wait.At);
                    case PaceDecision.CapReached cap:
                        return new BatchNext.RunAgainAt(cap.ResumesAt);
                    default:
                        throw new InvalidOperationException("unknown pacing decision");
                }

                var link = personal?.GetValueOrDefault(memberId);
                var recipient = new MailboxAddress(null, member.Email);
                var notice = new KeylessNotice(list, recipient, submission.SendAt, member.Fingerprint, KeylessNotice.ReasonOf(key.Status),
                    key.Status == KeyStatus.Expired ? key.Expires : null, link?.Link, link?.ExpiresAt);
                var message = KeylessNoticeMessage.Create(context, notice, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()));
                SendResult answer;
                try
                {
                    session ??= await transports.Create(provider).ConnectAsync(cancellationToken);
                    // Not abandoned once on its way: a notice the provider took but we never recorded would go out twice.
                    answer = await session.SendAsync(message, sender, recipient, CancellationToken.None);
                }
                catch (TransportException ex) when (ex.Failure == TransportFailure.RateLimited)
                {
                    await pacer.ThrottledAsync(list, slot, cancellationToken);
                    throw;
                }

                if (answer.Outcome == SendOutcome.TransientFailure)
                {
                    deferred++;
                    continue;
                }

                // Accepted, or refused for good (5xx): either way this claim is answered; the admins see the skipped copy.
                await store.MarkDoneAsync(memberId, submissionId, time.GetUtcNow(), CancellationToken.None);
                LogSent(logger, submissionId, memberId, answer.Outcome);
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        return deferred > 0 ? new BatchNext.Retry($"{deferred} keyless notice(s) for {submissionId} were deferred by the provider") : new BatchNext.Done();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: keyless notice to member {MemberId}: {Outcome}")]
    private static partial void LogSent(ILogger logger, string submissionId, long memberId, SendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {SubmissionId}: keyless notices not sent, the list has no provider")]
    private static partial void LogNoProvider(ILogger logger, string submissionId);
}
