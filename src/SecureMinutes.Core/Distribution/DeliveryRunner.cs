using Microsoft.Extensions.Logging;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Sends a submission's pending copies (one batch of them, or all) over one provider session: in groups of up
/// to 25, take the list's send slots and claim the copies, then for each member build and encrypt the copy,
/// hand it to the provider and record the answer before moving on (see <see cref="DeliveryRun"/>). A copy the
/// provider accepted is never sent again; if the process dies between the provider's 250 and our record, that
/// single copy is retried once its claim is older than <see cref="DeliveryOptions.ClaimLease"/> and may arrive
/// twice (after a power cut, at most the copies of the last group, whose answers had not reached the disk yet).
/// A copy on its way is never abandoned: cancelling a run (Hangfire aborting a job another worker fetched again,
/// a shutdown) stops it between copies, gives the unsent ones back, and a slow group renews its claims.
/// </summary>
public sealed partial class DeliveryRunner(
    ListService listService, MemberStore members, JoinRequestStore joinRequests, ProviderStore providers, DeliveryStore deliveries, DistributionService distribution,
    MinutesMessageFactory messages, PreparedMinutesCache preparedMinutes, RecipientKeyCache recipientKeys, SendPacer pacer, IMailTransportFactory transports, DeliveryOptions options,
    MemberLinks memberLinks, KeyUpdateStore keyUpdates, TimeProvider time, ILogger<DeliveryRunner> logger)
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

        // A join request's challenge goes to someone not yet a member (negative ids: Joining/JoinRecipient).
        var memberRecipients = await members.GetManyAsync(pending, cancellationToken);
        var recipients = memberRecipients.Concat(await joinRequests.RecipientsAsync(pending.Where(id => id > -KeyUpdateRecipient.Offset), cancellationToken))
            .Concat(await KeyUpdateRecipientsAsync(pending, cancellationToken)).ToDictionary(m => m.Id);
        // Every copy to a member ends with their personal links (update my key, leave), when links can be made.
        var withFooters = memberLinks.CanLink && memberRecipients.Count > 0;
        var (minutes, signer) = await PrepareAsync(submission, list, withFooters, cancellationToken);
        var footers = withFooters
            ? (await memberLinks.ForMembersAsync(memberRecipients.Select(m => m.Id).ToList(), cancellationToken))
                .ToDictionary(link => link.Key, link => MemberFooterText.For(list, link.Value.Link, link.Value.ExpiresAt))
            : new Dictionary<long, string>();
        var work = new DeliveryWork(submission, list, minutes, recipients, pending) { Footers = footers, Signer = signer };
        await using var run = new DeliveryRun(work, transports.Create(provider), deliveries, recipientKeys, pacer, options, time, logger, progress);
        var result = await run.DeliverAsync(cancellationToken);
        LogRunFinished(logger, submission.Id, result.Delivered, result.Failed, result.Skipped, result.Stop.GetType().Name);
        return result;
    }

    /// <summary>A key update's challenge goes to the member's address on file, encrypted to the key they asked for (SelfService/KeyUpdateRecipient).</summary>
    private async Task<IEnumerable<Member>> KeyUpdateRecipientsAsync(IReadOnlyList<long> pending, CancellationToken cancellationToken)
    {
        var ids = pending.Select(KeyUpdateRecipient.UpdateIdOf).OfType<long>().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var requested = await keyUpdates.GetManyAsync(ids, cancellationToken);
        var owners = (await members.GetManyAsync(requested.Select(u => u.MemberId).ToList(), cancellationToken)).ToDictionary(m => m.Id);
        return requested.Where(u => owners.ContainsKey(u.MemberId)).Select(u => KeyUpdateRecipient.Of(u, owners[u.MemberId]));
    }

    /// <summary>
    /// The submission's minutes signed once for every member's copy (<see cref="PreparedMinutes"/>), reused from the
    /// submission's previous batch in this process when recent (<see cref="PreparedMinutesCache"/>); with footers, also
    /// the list key that signs each copy (opened for this run only: the cache never holds a secret key).
    /// </summary>
    private async Task<(PreparedMinutes Minutes, TextSignature? Signer)> PrepareAsync(Submission submission, MailingList list, bool withFooters,
        CancellationToken cancellationToken)
    {
        var signer = (submission.SigningFingerprint ?? list.KeyFingerprint).Hex;
        var mailbox = list.Mailbox.ToString() + (withFooters ? " (footers)" : "");
        var ready = preparedMinutes.Find(submission.Id, signer, mailbox);
        if (ready is not null && !withFooters)
        {
            return (ready, null);
        }

        using var context = new ListPgpContext(time, await listService.OpenSigningKeyAsync(list, submission.SigningFingerprint, cancellationToken));
        if (ready is null)
        {
            var payload = await distribution.OpenPayloadAsync(submission.Id, cancellationToken);
            ready = withFooters
                ? messages.PrepareWithFooters(context, list, payload, submission.MessageId)
                : messages.Prepare(context, list, payload, submission.MessageId);
            preparedMinutes.Add(submission.Id, signer, mailbox, ready);
        }

        return (ready, withFooters ? new TextSignature(context.GetSigningKey(list.Mailbox, cancellationToken)) : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Delivered} delivered, {Failed} failed, {Skipped} skipped in this run ({Stop})")]
    private static partial void LogRunFinished(ILogger logger, string submissionId, int delivered, int failed, int skipped, string stop);
}
