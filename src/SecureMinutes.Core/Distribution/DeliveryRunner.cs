using Microsoft.Extensions.Logging;
using MimeKit;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

public sealed record DeliveryProgress(int Done, int Total, Delivery Last);

/// <summary>
/// What one run over a batch did, and why it stopped early if it did: the provider refused the session
/// (<see cref="Stopped"/>) or the list's daily cap was reached (<see cref="CapReached"/>).
/// </summary>
public sealed record DeliveryRunResult(int Delivered, int Failed, int Skipped, TransportException? Stopped = null, DailyCapReachedException? CapReached = null);

/// <summary>
/// Sends a submission's pending copies (one batch of them, or all) over one provider session: for each
/// member, wait for the list's send slot, claim the copy, build and encrypt it, hand it to the provider,
/// and record the answer before moving on. A copy the provider accepted is never sent again; if the
/// process dies between the provider's 250 and our record, that single copy is retried once its claim
/// is older than <see cref="ClaimLease"/> and may arrive twice.
/// </summary>
public sealed partial class DeliveryRunner(
    ListStore lists, ListService listService, MemberStore members, ProviderStore providers, SubmissionStore submissions,
    DeliveryStore deliveries, Vault vault, MinutesMessageFactory messages, SendPacer pacer, DeliveryOptions options,
    TimeProvider time, ILogger<DeliveryRunner> logger)
{
    /// <summary>A dropped connection is reopened this many times in a row before the run gives up.</summary>
    private const int MaxReconnects = 3;

    public async Task<DeliveryRunResult> RunAsync(string submissionId, int? batch = null, IProgress<DeliveryProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var submission = await submissions.GetAsync(submissionId, cancellationToken);
        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        var provider = await providers.FindAsync(list.Id, cancellationToken)
            ?? throw new TransportException(TransportFailure.Configuration, $"list '{list.Name}' has no provider: run secureminutes provider set {list.Name} ...");
        var pending = await deliveries.PendingMemberIdsAsync(submission.Id, batch, cancellationToken);
        if (pending.Count == 0)
        {
            return new DeliveryRunResult(0, 0, 0);
        }

        if (list.KeyRevokedAt is not null && submission.SigningFingerprint is null)
        {
            // A revoked key signs nothing: the copies stay queued, the list pauses until an admin rotates it.
            return new DeliveryRunResult(0, 0, 0, Stopped: new TransportException(TransportFailure.Configuration, ListKeyState.RevokedPauseReason(list)));
        }

        var payload = MinutesPayload.Deserialize(vault.Box.Open(await submissions.GetSealedPayloadAsync(submission.Id, cancellationToken),
            DistributionService.PayloadPurpose(submission.Id)));
        using var context = new ListPgpContext(time, await listService.OpenSigningKeyAsync(list, submission.SigningFingerprint, cancellationToken));
        var byId = (await members.GetManyAsync(pending, cancellationToken)).ToDictionary(m => m.Id);
        var transport = MailTransportFactory.Create(provider);
        var sender = new MailboxAddress(null, list.Address);

        IMailSession? session = null;
        int delivered = 0, failed = 0, skipped = 0, done = 0, reconnects = 0;
        try
        {
            foreach (var memberId in pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await pacer.WaitForSlotAsync(list, cancellationToken);
                }
                catch (DailyCapReachedException cap)
                {
                    return new DeliveryRunResult(delivered, failed, skipped, CapReached: cap);
                }

                var now = time.GetUtcNow();
                if (!await deliveries.TryClaimAsync(submission.Id, memberId, now, now - options.ClaimLease, cancellationToken))
                {
                    continue; // Already final, or another worker holds it.
                }

                var (state, detail) = Prepare(byId.GetValueOrDefault(memberId), list, now, out var recipient, out var keys);
                if (state is not null)
                {
                    skipped++;
                    await RecordAsync(memberId, state.Value, detail);
                    continue;
                }

                var message = messages.Create(context, list, payload, submission.MessageId, recipient!, keys!);
                SendResult result;
                try
                {
                    session ??= await transport.ConnectAsync(cancellationToken);
                    result = await session.SendAsync(message, sender, recipient!, cancellationToken);
                    reconnects = 0;
                }
                catch (TransportException ex)
                {
                    // The provider never took this copy, or the connection died before its answer: either way
                    // it is retried later; every other copy stays queued.
                    failed++;
                    await RecordAsync(memberId, DeliveryState.FailedTransient, ex.Message);
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                        session = null;
                    }

                    if (ex.Failure == TransportFailure.Connection && ++reconnects <= MaxReconnects)
                    {
                        LogReconnecting(logger, submission.Id, reconnects);
                        continue;
                    }

                    LogSessionStopped(logger, submission.Id, ex.Failure);
                    return new DeliveryRunResult(delivered, failed, skipped, Stopped: ex);
                }

                switch (result.Outcome)
                {
                    case SendOutcome.Accepted:
                        delivered++;
                        await RecordAsync(memberId, DeliveryState.Delivered, result.Detail);
                        break;
                    case SendOutcome.TransientFailure:
                        failed++;
                        await RecordAsync(memberId, DeliveryState.FailedTransient, result.Detail);
                        break;
                    default:
                        failed++;
                        await RecordAsync(memberId, DeliveryState.FailedPermanent, result.Detail);
                        break;
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        LogRunFinished(logger, submission.Id, delivered, failed, skipped);
        return new DeliveryRunResult(delivered, failed, skipped);

        async Task RecordAsync(long memberId, DeliveryState state, string? detail)
        {
            // Recorded even while the caller is cancelling: the provider's answer must not be lost.
            await deliveries.MarkAsync(submission.Id, memberId, state, detail, time.GetUtcNow(), CancellationToken.None);
            done++;
            progress?.Report(new DeliveryProgress(done, pending.Count,
                new Delivery(submission.Id, memberId, byId.GetValueOrDefault(memberId)?.Email ?? "", null, state, 0, detail, time.GetUtcNow(), null)));
        }
    }

    /// <summary>
    /// Checks the member still exists and may still be sent the copy: their key may have expired or been revoked
    /// since submission, or the list may have started requiring verified keys.
    /// </summary>
    private static (DeliveryState? State, string? Detail) Prepare(Member? member, MailingList list, DateTimeOffset now,
        out MailboxAddress? recipient, out IReadOnlyList<PgpPublicKey>? keys)
    {
        recipient = null;
        keys = null;
        if (member is null)
        {
            return (DeliveryState.FailedPermanent, "no longer a member of the list");
        }

        var (assessment, refusal) = DeliveryEligibility.Check(member, list, now);
        if (refusal is not null)
        {
            return (DeliveryState.SkippedNoKey, refusal);
        }

        recipient = new MailboxAddress(null, member.Email);
        keys = assessment.EncryptionKeys.ToList();
        return (null, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {SubmissionId}: provider session stopped ({Failure})")]
    private static partial void LogSessionStopped(ILogger logger, string submissionId, TransportFailure failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: connection lost, reconnecting ({Attempt})")]
    private static partial void LogReconnecting(ILogger logger, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Delivered} delivered, {Failed} failed, {Skipped} skipped in this run")]
    private static partial void LogRunFinished(ILogger logger, string submissionId, int delivered, int failed, int skipped);
}
