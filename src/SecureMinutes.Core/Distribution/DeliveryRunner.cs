using Microsoft.Extensions.Logging;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Sends a submission's pending copies (one batch of them, or all) over one provider session: for each
/// member, wait for the list's send slot, claim the copy, build and encrypt it, hand it to the provider,
/// and record the answer before moving on (see <see cref="DeliveryRun"/>). A copy the provider accepted is
/// never sent again; if the process dies between the provider's 250 and our record, that single copy is
/// retried once its claim is older than <see cref="DeliveryOptions.ClaimLease"/> and may arrive twice.
/// </summary>
public sealed partial class DeliveryRunner(
    ListService listService, MemberStore members, JoinRequestStore joinRequests, ProviderStore providers, DeliveryStore deliveries, DistributionService distribution,
    MinutesMessageFactory messages, PreparedMinutesCache preparedMinutes, RecipientKeyCache recipientKeys, SendPacer pacer, IMailTransportFactory transports, DeliveryOptions options,
    TimeProvider time, ILogger<DeliveryRunner> logger)
{
    /// <summary>
    /// Delivers the pending copies of <paramref name="submission"/> (of <paramref name="batch"/> only, when given) for
    /// <paramref name="list"/>, the list as the caller loaded it. Returns what was done and why the run ended
    /// (<see cref="DeliveryStop"/>); throws only for the unexpected (a database failure, cancellation).
    /// </summary>
    public async Task<DeliveryRunResult> RunAsync(Submission submission, MailingList list, int? batch = null,
        IProgress<DeliveryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var pending = await deliveries.PendingMemberIdsAsync(submission.Id, batch, cancellationToken);
        // A shredded submission's waiting copies were cancelled with it; one claimed at that moment has nothing to send.
        if (pending.Count == 0 || submission.ShreddedAt is not null)
        {
            return DeliveryRunResult.Nothing;
        }

        if (list.KeyRevokedAt is not null && submission.SigningFingerprint is null)
        {
            // A revoked key signs nothing: the copies stay queued, the list pauses until an admin rotates it.
            return new DeliveryRunResult(0, 0, 0, 0, new DeliveryStop.NeedsAdmin(ListKeyState.RevokedPauseReason(list)));
        }

        if (await providers.FindAsync(list.Id, cancellationToken) is not { } provider)
        {
            return new DeliveryRunResult(0, 0, 0, 0,
                new DeliveryStop.NeedsAdmin($"list '{list.Name}' has no provider: run secureminutes provider set {list.Name} ..."));
        }

        var minutes = await PrepareAsync(submission, list, cancellationToken);
        // A join request's challenge goes to someone not yet a member (negative ids: Joining/JoinRecipient).
        var recipients = (await members.GetManyAsync(pending, cancellationToken)).Concat(await joinRequests.RecipientsAsync(pending, cancellationToken))
            .ToDictionary(m => m.Id);
        var work = new DeliveryWork(submission, list, minutes, recipients, pending);
        await using var run = new DeliveryRun(work, transports.Create(provider), deliveries, recipientKeys, pacer, options, time, logger, progress);
        var result = await run.DeliverAsync(cancellationToken);
        LogRunFinished(logger, submission.Id, result.Delivered, result.Failed, result.Skipped, result.Stop.GetType().Name);
        return result;
    }

    /// <summary>
    /// The submission's minutes signed once for every member's copy (<see cref="PreparedMinutes"/>), reused from the
    /// submission's previous batch in this process when recent (<see cref="PreparedMinutesCache"/>).
    /// </summary>
    private async Task<PreparedMinutes> PrepareAsync(Submission submission, MailingList list, CancellationToken cancellationToken)
    {
        var signer = (submission.SigningFingerprint ?? list.KeyFingerprint).Hex;
        var mailbox = list.Mailbox.ToString();
        if (preparedMinutes.Find(submission.Id, signer, mailbox) is { } ready)
        {
            return ready;
        }

        var payload = await distribution.OpenPayloadAsync(submission.Id, cancellationToken);
        using var context = new ListPgpContext(time, await listService.OpenSigningKeyAsync(list, submission.SigningFingerprint, cancellationToken));
        var minutes = messages.Prepare(context, list, payload, submission.MessageId);
        preparedMinutes.Add(submission.Id, signer, mailbox, minutes);
        return minutes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Delivered} delivered, {Failed} failed, {Skipped} skipped in this run ({Stop})")]
    private static partial void LogRunFinished(ILogger logger, string submissionId, int delivered, int failed, int skipped, string stop);
}
