using Microsoft.Extensions.Logging;
using MimeKit;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// What one run delivers: the submission and its list as loaded once, the minutes signed once for the run
/// (<see cref="PreparedMinutes"/>), and the copies.
/// </summary>
internal sealed record DeliveryWork(
    Submission Submission, MailingList List, PreparedMinutes Minutes,
    IReadOnlyDictionary<long, Member> Recipients, IReadOnlyList<long> Pending)
{
    /// <summary>Each member's footer (their personal links), when the minutes were prepared with footers.</summary>
    public IReadOnlyDictionary<long, string> Footers { get; init; } = new Dictionary<long, string>();

    /// <summary>The list key signing each member's copy, when the minutes were prepared with footers.</summary>
    public TextSignature? Signer { get; init; }
}

/// <summary>
/// One pass of <see cref="DeliveryRunner"/> over a set of copies, in named steps: pace, claim, check the
/// member, send, record. Holds the provider session (reopened after a dropped connection or a long idle
/// time) and the counts. Copies the provider deferred for the account's sake (rate limits) go to the back
/// of the queue and are sent in this same run once the pacer has slowed the list down: they are never
/// counted against the member.
/// </summary>
internal sealed partial class DeliveryRun(
    DeliveryWork work, IMailTransport transport, DeliveryStore deliveries, RecipientKeyCache recipientKeys, SendPacer pacer,
    DeliveryOptions options, TimeProvider time, ILogger logger, IProgress<DeliveryProgress>? progress) : IAsyncDisposable
{
    /// <summary>A dropped connection is reopened this many times in a row before the run gives up.</summary>
    private const int MaxReconnects = 3;

    /// <summary>
    /// Servers close idle connections (Postfix after 300 s); at a slow list rate the session would die between
    /// two messages and the next copy would fail for nothing. Past this idle time the session is reopened.
    /// </summary>
    private static readonly TimeSpan MaxIdleSession = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Copies claimed, and their answers made durable, together: a power cut can repeat at most this many copies (a
    /// crash of the process alone, at most the one on its way), and the disk is waited for once per group.
    /// </summary>
    private const int GroupSize = 25;

    private Queue<long> _queue = new(work.Pending);
    private bool _slowedDown;
    private bool _handedOver;
    private DeliveryRecorder? _recorder;
    private readonly MailboxAddress _sender = new(null, work.List.Address);
    private IMailSession? _session;
    private DateTimeOffset _lastUse;
    private int _delivered, _failed, _skipped, _deferrals, _done, _reconnects;

    private string SubmissionId => work.Submission.Id;

    public async Task<DeliveryRunResult> DeliverAsync(CancellationToken cancellationToken)
    {
        while (_queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await DeliverGroupAsync(cancellationToken) is { } stop)
            {
                return Result(stop);
            }
        }

        return Result(new DeliveryStop.Finished());
    }

    /// <summary>
    /// The next group of copies: their send slots taken and the copies claimed in one write each, then each copy sent
    /// and its answer recorded before the next. Every answer but the group's last is recorded relaxed (it survives this
    /// process dying, see <see cref="SqlDialect.RelaxCommits"/> and <see cref="DeliveryRecorder"/>)
    /// and the last durably, which makes the others durable too: one wait for the disk per group, and a power cut
    /// repeats at most one group's copies. Copies claimed and not tried when the run stops go back to the queue.
    /// A non-null answer ends the run.
    /// </summary>
    private async Task<DeliveryStop?> DeliverGroupAsync(CancellationToken cancellationToken)
    {
        SendSlot slot;
        int count;
        switch (await pacer.WaitForSlotsAsync(work.List, Math.Min(GroupSize, _queue.Count), cancellationToken))
        {
            case PaceDecision.CapReached cap:
                return new DeliveryStop.ResumeAt(cap.ResumesAt, cap.Describe());
            case PaceDecision.WaitUntil wait:
                LogDeferred(logger, SubmissionId, wait.At);
                return new DeliveryStop.ResumeAt(wait.At, "the list's next send slot is later");
            case PaceDecision.SendNow now:
                (slot, count) = (now.Slot, now.Count);
                break;
            default:
                throw new InvalidOperationException("unknown pacing decision");
        }

        var group = new List<long>(count);
        while (group.Count < count && _queue.TryDequeue(out var memberId))
        {
            group.Add(memberId);
        }

        var claimedAt = time.GetUtcNow();
        // Copies not claimed are already final, or held by another live sender.
        var claimed = await deliveries.ClaimAsync(SubmissionId, group, claimedAt, claimedAt - options.ClaimLease, CancellationToken.None);
        var held = group.Where(claimed.Contains).ToList();
        _slowedDown = false;
        for (var i = 0; i < held.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping between copies: nothing of this copy reached the provider, the rest of the group goes back as it was.
                await ReleaseAsync(held[i..]);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (time.GetUtcNow() - claimedAt > options.ClaimLease / 3)
            {
                // A slow group keeps its claims: a copy whose claim ran out could be taken and sent by another sender too.
                var now = time.GetUtcNow();
                var still = await deliveries.ExtendClaimsAsync(SubmissionId, held[i..], claimedAt, now, CancellationToken.None);
                held = [.. held[..i], .. held[i..].Where(still.Contains)];
                claimedAt = now;
                if (i == held.Count)
                {
                    break;
                }
            }

            DeliveryStop? stop;
            _handedOver = false;
            try
            {
                stop = await DeliverCopyAsync(held[i], slot, durable: i == held.Count - 1, cancellationToken);
            }
            catch
            {
                // A copy handed to the provider keeps its claim (it may have arrived); one never handed over goes back too.
                await ReleaseAsync(held[(_handedOver ? i + 1 : i)..]);
                throw;
            }

            if (stop is not null)
            {
                await ReleaseAsync(held[(i + 1)..]);
                return stop;
            }

            if (_slowedDown && i < held.Count - 1)
            {
                // The provider asked to slow down: the rest of the group waits for the slower slots the pacer now gives.
                // They keep their place, ahead of the deferred copy sent to the back of the queue.
                var rest = held[(i + 1)..];
                await ReleaseAsync(rest);
                _queue = new Queue<long>(rest.Concat(_queue));
                return null;
            }
        }

        return null;
    }

    private Task<int> ReleaseAsync(List<long> unsent) =>
        deliveries.ReleaseAsync(SubmissionId, unsent, time.GetUtcNow(), CancellationToken.None);

    /// <summary>One claimed copy, start to end; a non-null answer ends the run.</summary>
    private async Task<DeliveryStop?> DeliverCopyAsync(long memberId, SendSlot slot, bool durable, CancellationToken cancellationToken)
    {
        if (await BuildMessageAsync(memberId, time.GetUtcNow(), durable) is not { } built)
        {
            return null; // Skipped, and recorded so.
        }

        var (message, recipient) = built;

        try
        {
            var answer = await SendAsync(message, recipient, cancellationToken);
            await RecordAnswerAsync(memberId, answer, durable);
            return null;
        }
        catch (TransportException ex)
        {
            await CloseSessionAsync();
            return await SessionFailedAsync(memberId, slot, ex, cancellationToken);
        }
    }

    /// <summary>
    /// The member's encrypted, signed copy, after checking they still exist and may still be sent it: their key
    /// may have expired or been revoked since submission, or the list may have started requiring verified keys.
    /// Null when the copy was skipped instead (recorded with the reason).
    /// </summary>
    private async Task<(MimeMessage Message, MailboxAddress Recipient)?> BuildMessageAsync(long memberId, DateTimeOffset now, bool durable)
    {
        if (work.Recipients.GetValueOrDefault(memberId) is not { } member)
        {
            _skipped++;
            await RecordAsync(memberId, DeliveryState.FailedPermanent, "no longer a member of the list", durable);
            return null;
        }

        // The stored judgement of the member's key (made when the key last changed, passing time applied): verifying
        // every self-signature again per copy cost more than the encryption (see DeliveryEligibility.Judge).
        var (key, refusal) = DeliveryEligibility.Judge(member, work.List, now);
        if (refusal is not null)
        {
            _skipped++;
            await RecordAsync(memberId, DeliveryState.SkippedNoKey, refusal, durable);
            return null;
        }

        var recipient = new MailboxAddress(null, member.Email);
        var keys = recipientKeys.KeysFor(member.PublicKey, key.EncryptionKeyIds);
        return (work.Minutes.HasFooters
            ? work.Minutes.CreateFor(recipient, keys, work.Footers[memberId], work.Signer ?? throw new InvalidOperationException("footers without a signer"))
            : work.Minutes.CreateFor(recipient, keys), recipient);
    }

    /// <summary>Hands the message to the provider over the open session, opening (or reopening after idling) it first.</summary>
    private async Task<SendResult> SendAsync(MimeMessage message, MailboxAddress recipient, CancellationToken cancellationToken)
    {
        if (_session is not null && time.GetUtcNow() - _lastUse > MaxIdleSession)
        {
            await CloseSessionAsync();
        }

        _session ??= await transport.ConnectAsync(cancellationToken);
        // Once the message is on its way it is not abandoned: a run cancelled while the provider answers (a Hangfire job
        // aborted because another worker fetched it again, a shutdown) would leave a copy the provider took unrecorded,
        // and the next run would send it twice. The wait is bounded by the transport's own timeout.
        _handedOver = true;
        var answer = await _session.SendAsync(message, _sender, recipient, CancellationToken.None);
        _lastUse = time.GetUtcNow();
        _reconnects = 0;
        return answer;
    }

    private Task RecordAnswerAsync(long memberId, SendResult answer, bool durable)
    {
        switch (answer.Outcome)
        {
            case SendOutcome.Accepted:
                _delivered++;
                return RecordAsync(memberId, DeliveryState.Delivered, answer.Detail, durable);
            case SendOutcome.TransientFailure:
                _failed++;
                return RecordAsync(memberId, DeliveryState.FailedTransient, answer.Detail, durable);
            default:
                _failed++;
                return RecordAsync(memberId, DeliveryState.FailedPermanent, answer.Detail, durable);
        }
    }

    /// <summary>The session failed while sending <paramref name="memberId"/>'s copy: whose fault, and does the run go on?</summary>
    private async Task<DeliveryStop?> SessionFailedAsync(long memberId, SendSlot slot, TransportException failure, CancellationToken cancellationToken)
    {
        if (failure.Failure == TransportFailure.Connection)
        {
            // The connection died before the provider's answer: this copy is retried later (it may have
            // arrived); every other copy stays queued.
            _failed++;
            await RecordAsync(memberId, DeliveryState.FailedTransient, failure.Message, durable: true);
            if (++_reconnects <= MaxReconnects)
            {
                LogReconnecting(logger, SubmissionId, _reconnects);
                return null;
            }

            LogSessionStopped(logger, SubmissionId, failure.Failure);
            return new DeliveryStop.ConnectionLost(failure.Message);
        }

        // The provider refused the account, not this member: the copy waits, unblamed.
        await RequeueAsync(memberId, failure.Message);
        if (failure.Failure == TransportFailure.RateLimited)
        {
            _deferrals++;
            var slowed = await pacer.ThrottledAsync(work.List, slot, cancellationToken);
            LogThrottled(logger, SubmissionId, slowed, _deferrals);
            _queue.Enqueue(memberId);
            _slowedDown = true;
            return null;
        }

        LogSessionStopped(logger, SubmissionId, failure.Failure);
        return failure.Failure == TransportFailure.QuotaExceeded
            ? new DeliveryStop.QuotaExceeded(failure.Message, failure.RetryAfter)
            : new DeliveryStop.NeedsAdmin(failure.Message);
    }

    private async Task RecordAsync(long memberId, DeliveryState state, string? detail, bool durable)
    {
        // Recorded even while the caller is cancelling: the provider's answer must not be lost.
        _recorder ??= await deliveries.OpenRecorderAsync(CancellationToken.None);
        await _recorder.RecordAsync(SubmissionId, memberId, state, detail, time.GetUtcNow(), durable);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var email = work.Recipients.GetValueOrDefault(memberId)?.Email ?? $"member {memberId}";
            LogCopy(logger, SubmissionId, email, state);
        }

        _done++;
        progress?.Report(new DeliveryProgress(_done, work.Pending.Count,
            new Delivery(SubmissionId, memberId, work.Recipients.GetValueOrDefault(memberId)?.Email ?? "", null, state, 0, detail, time.GetUtcNow(), null)));
    }

    // Back to queued, not failed: nothing is held against the member, and the claim is released.
    private Task RequeueAsync(long memberId, string detail) =>
        deliveries.MarkAsync(SubmissionId, memberId, DeliveryState.Queued, detail, time.GetUtcNow(), CancellationToken.None);

    private DeliveryRunResult Result(DeliveryStop stop) => new(_delivered, _failed, _skipped, _deferrals, stop);

    private async Task CloseSessionAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseSessionAsync();
        }
        finally
        {
            if (_recorder is not null)
            {
                await _recorder.DisposeAsync();
            }
        }
    }

    // The one log line that names a member: Debug only (SECUREMINUTES_LOG_LEVEL=Debug), for an admin chasing one copy.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Submission {SubmissionId}: copy to {Email} is {State}")]
    private static partial void LogCopy(ILogger logger, string submissionId, string email, DeliveryState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {SubmissionId}: provider session stopped ({Failure})")]
    private static partial void LogSessionStopped(ILogger logger, string submissionId, TransportFailure failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: connection lost, reconnecting ({Attempt})")]
    private static partial void LogReconnecting(ILogger logger, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {SubmissionId}: the provider asks to slow down (reply {Deferrals} in this run; pace changed: {Slowed})")]
    private static partial void LogThrottled(ILogger logger, string submissionId, bool slowed, int deferrals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId}: next send slot at {ResumeAt:O}, batch rescheduled")]
    private static partial void LogDeferred(ILogger logger, string submissionId, DateTimeOffset resumeAt);
}
