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
/// (<see cref="Stopped"/>), the list's daily cap was reached (<see cref="CapReached"/>), or the list's next
/// send slot is too far away to wait for (<see cref="ResumeAt"/>, after a provider's "slow down").
/// </summary>
public sealed record DeliveryRunResult(int Delivered, int Failed, int Skipped, TransportException? Stopped = null, DailyCapReachedException? CapReached = null)
{
    public DateTimeOffset? ResumeAt { get; init; }

    /// <summary>Rate-limit replies the provider gave in this run (each copy concerned was kept queued and sent later).</summary>
    public int Deferrals { get; init; }
}

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

    /// <summary>
    /// Servers close idle connections (Postfix after 300 s); at a slow list rate the session would die between
    /// two messages and the next copy would fail for nothing. Past this idle time the session is reopened.
    /// </summary>
    private static readonly TimeSpan MaxIdleSession = TimeSpan.FromSeconds(60);

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
        var lastUse = time.GetUtcNow();
        int delivered = 0, failed = 0, skipped = 0, done = 0, reconnects = 0, deferrals = 0;
        // Copies the provider deferred for the account's sake (rate limits) go to the back and are sent in this
        // same run once the pacer has slowed the list down: they are never counted against the member.
        var work = new Queue<long>(pending);
        try
        {
            while (work.TryDequeue(out var memberId))
            {
                cancellationToken.ThrowIfCancellationRequested();
                SendSlot slot;
                try
                {
                    slot = await pacer.WaitForSlotAsync(list, cancellationToken);
                }
                catch (DailyCapReachedException cap)
                {
                    return new DeliveryRunResult(delivered, failed, skipped, CapReached: cap) { Deferrals = deferrals };
                }
                catch (SendingDeferredException deferred)
                {
                    LogDeferred(logger, submission.Id, deferred.ResumesAt);
                    return new DeliveryRunResult(delivered, failed, skipped) { ResumeAt = deferred.ResumesAt, Deferrals = deferrals };
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
                if (session is not null && time.GetUtcNow() - lastUse > MaxIdleSession)
                {
                    await session.DisposeAsync();
                    session = null;
                }

                SendResult result;
                try
                {
                    session ??= await transport.ConnectAsync(cancellationToken);
                    result = await session.SendAsync(message, sender, recipient!, cancellationToken);
                    lastUse = time.GetUtcNow();
                    reconnects = 0;
                }
                catch (TransportException ex)
                {
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                        session = null;
                    }

                    if (ex.Failure == TransportFailure.Connection)
                    {
                        // The connection died before the provider's answer: this copy is retried later (it may
                        // have arrived); every other copy stays queued.
                        failed++;
                        await RecordAsync(memberId, DeliveryState.FailedTransient, ex.Message);
                        if (++reconnects <= MaxReconnects)
                        {
                            LogReconnecting(logger, submission.Id, reconnects);
                            continue;
                        }
                    }
                    else
                    {
                        // The provider refused the account, not this member: the copy waits, unblamed.
                        await RequeueAsync(memberId, ex.Message);
                        if (ex.Failure == TransportFailure.RateLimited)
                        {
                            deferrals++;
                            var slowed = await pacer.ThrottledAsync(list, slot, cancellationToken);
                            LogThrottled(logger, submission.Id, slowed, deferrals);
                            work.Enqueue(memberId);
                            continue;
                        }
                    }

                    LogSessionStopped(logger, submission.Id, ex.Failure);
                    return new DeliveryRunResult(delivered, failed, skipped, Stopped: ex) { Deferrals = deferrals };
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
        return new DeliveryRunResult(delivered, failed, skipped) { Deferrals = deferrals };

        async Task RecordAsync(long memberId, DeliveryState state, string? detail)
        {
            // Recorded even while the caller is cancelling: the provider's answer must not be lost.
            await deliveries.MarkAsync(submission.Id, memberId, state, detail, time.GetUtcNow(), CancellationToken.None);
            done++;
            progress?.Report(new DeliveryProgress(done, pending.Count,
                new Delivery(submission.Id, memberId, byId.GetValueOrDefault(memberId)?.Email ?? "", null, state, 0, detail, time.GetUtcNow(), null)));
        }

        // Back to queued, not failed: nothing is held against the member, and the claim is released.
        Task RequeueAsync(long memberId, string detail) =>
            deliveries.MarkAsync(submission.Id, memberId, DeliveryState.Queued, detail, time.GetUtcNow(), CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {SubmissionId}: the provider asks to slow down (reply {Deferrals} in this run; pace changed: {Slowed})")]
    private static partial void LogThrottled(ILogger logger, string submissionId, bool slowed, int deferrals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: next send slot at {ResumeAt:O}, batch rescheduled")]
    private static partial void LogDeferred(ILogger logger, string submissionId, DateTimeOffset resumeAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: {Delivered} delivered, {Failed} failed, {Skipped} skipped in this run")]
    private static partial void LogRunFinished(ILogger logger, string submissionId, int delivered, int failed, int skipped);
}
