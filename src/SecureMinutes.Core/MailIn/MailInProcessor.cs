using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Secrets;

namespace SecureMinutes.MailIn;

/// <summary>What happened to one fetched mail, for <c>provider check-intake</c> and the log (no content, no address).</summary>
public sealed record MailInOutcome(uint Uid, string Outcome, string Reason, string? SubmissionId)
{
    /// <summary>The mail was not distributed (<see cref="MailInVerdict.OutcomeText"/> "refused-…").</summary>
    public bool Refused => Outcome.StartsWith("refused", StringComparison.Ordinal);
}

/// <summary>
/// Fetches a list's intake mailbox and handles each mail exactly once: the decision is recorded (keyed by a
/// hash of the mail) with the id of the submission it leads to before that submission or reply is made, and
/// the mail is deleted from the mailbox last. A crash anywhere makes the next run finish the same work,
/// never repeat it. Refusals are answered, encrypted, to members only, a few per hour at most.
/// </summary>
public sealed partial class MailInProcessor(ListStore lists, ListService listService, MemberStore members, IntakeStore intakes, ProviderStore providers,
    IntakeMessageStore records, DistributionService distribution, MailInReader reader, KeyUpdateByMail keyUpdates,
    IntakeLimits limits, TimeProvider time, ILogger<MailInProcessor> logger, Func<string, string?>? environment = null)
{
    private const int RepliesPerHour = 5;
    private readonly Func<string, string?> _environment = environment ?? SecretEnvironment.Get;

    public async Task<IReadOnlyList<MailInOutcome>> RunAsync(long listId, CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listId, cancellationToken);
        var settings = await intakes.FindAsync(list.Id, cancellationToken)
            ?? throw new UserFacingException($"list '{list.Name}' has no intake mailbox: run secureminutes provider set-intake {list.Name} ...");
        var socks5 = (await providers.FindAsync(list.Id, cancellationToken))?.Socks5;
        var outcomes = new List<MailInOutcome>();
        await using var mailbox = await ImapMailbox.OpenAsync(settings, socks5, _environment, cancellationToken);
        var summaries = await mailbox.ListAsync(cancellationToken);
        if (summaries.Count == 0)
        {
            return outcomes;
        }

        var listKey = await listService.OpenSecretKeyAsync(list, cancellationToken);
        var memberList = await members.ListAsync(list.Id, cancellationToken);
        // Headers, signature and base64 around the limits: anything far larger is refused unread.
        var maxMailBytes = (limits.MaxTextBytes + limits.MaxAttachmentBytes) * 3 / 2 + (1024 * 1024);
        foreach (var summary in summaries)
        {
            MailInVerdict verdict;
            if (summary.Size is { } size && size > maxMailBytes)
            {
                var sender = summary.Envelope?.From.Mailboxes.FirstOrDefault()?.Address;
                var key = "big:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{mailbox.UidValidity}:{summary.UniqueId.Id}:{summary.Envelope?.MessageId}")));
                verdict = MailInVerdict.Refuse(key, MailInRefusal.TooLarge, $"it is over the {IntakeLimits.Describe(maxMailBytes)} limit",
                    memberList.FirstOrDefault(m => m.Email.Equals(sender, StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                var message = await mailbox.GetAsync(summary.UniqueId, cancellationToken);
                verdict = reader.Read(message, list, listKey, memberList);
            }

            var submissionId = await HandleAsync(list, verdict, memberList, cancellationToken);
            await mailbox.DeleteAsync(summary.UniqueId, cancellationToken);
            LogHandled(logger, list.Id, summary.UniqueId.Id, verdict.OutcomeText, submissionId);
            outcomes.Add(new MailInOutcome(summary.UniqueId.Id, verdict.OutcomeText, verdict.Reason, submissionId));
        }

        return outcomes;
    }

    private async Task<string?> HandleAsync(MailingList list, MailInVerdict verdict, IReadOnlyList<Member> memberList, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = await records.FindAsync(list.Id, verdict.Key, cancellationToken);
        if (entry is null)
        {
            var replyTo = verdict.ReplyTo is { } member
                && await records.RepliesSinceAsync(list.Id, member.Id, now - TimeSpan.FromHours(1), cancellationToken) < RepliesPerHour
                ? member
                : null;
            var wantsSubmission = verdict.Accepted || replyTo is not null;
            entry = await records.RecordAsync(list.Id,
                new IntakeMessageStore.Entry(verdict.Key, verdict.OutcomeText, wantsSubmission ? SubmissionIds.New() : null, replyTo?.Id), now, cancellationToken);
            if (verdict.AboutKeyUpdate && verdict.ReplyTo is { } named)
            {
                await keyUpdates.AuditRefusalAsync(list, named, verdict.Reason, cancellationToken);
            }
        }

        if (entry.SubmissionId is not { } submissionId)
        {
            return null;
        }

        // The id was recorded before the submission is made: after a crash, SendAsync finds it and queues it again.
        if (verdict.KeyUpdate is { } request && entry.Outcome == verdict.OutcomeText && verdict.ReplyTo is { } signer)
        {
            await keyUpdates.HandleAsync(list, signer, request, submissionId, cancellationToken);
            return submissionId;
        }

        if (verdict.Accepted && entry.Outcome == "accepted")
        {
            await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(verdict.Minutes!), memberList) { Id = submissionId },
                cancellationToken);
            return submissionId;
        }

        if (memberList.FirstOrDefault(m => m.Id == entry.ReplyMemberId) is not { } recipient)
        {
            return null;
        }

        var answer = verdict.AboutKeyUpdate
            ? KeyUpdateMailText.Refused(list, verdict.Reason)
            : MailInNoticeText.Refused(list, verdict.Reason);
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(answer), [recipient])
        {
            Id = submissionId,
        }, cancellationToken);
        return submissionId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "List {ListId} mail-in: message {Uid} {Outcome} (submission {SubmissionId})")]
    private static partial void LogHandled(ILogger logger, long listId, uint uid, string outcome, string? submissionId);
}
