using Hangfire;
using MimeKit.Utils;
using SecureMinutes.Jobs;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

public sealed record SubmissionStatus(Submission Submission, MailingList List, IReadOnlyList<Delivery> Deliveries)
{
    public int Count(DeliveryState state) => Deliveries.Count(d => d.State == state);

    public bool IsFinished => Deliveries.All(d => d.State.IsFinal());
}

/// <summary>
/// Something to send to some members of a list: minutes, a digest, a notice, a key announcement.
/// <paramref name="Recipients"/> get one copy each (skipped, never sent in clear, when their key cannot be used).
/// </summary>
public sealed record NewSubmission(MailingList List, SubmissionKind Kind, MinutesPayload Payload, IReadOnlyList<Member> Recipients)
{
    /// <summary>When to send; null: now.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>A retired list key to sign with instead of the current one (a rotation's announcement).</summary>
    public Fingerprint? SigningKey { get; init; }

    /// <summary>
    /// An id chosen beforehand by work that may run twice after a crash (a scheduled pad capture, a mail-in
    /// message): the second run finds the submission the first one stored and queues it again instead of making another.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>Keyed hash of the content: with <see cref="UniqueSince"/>, a submission with the same one since then makes this one a duplicate.</summary>
    public string? ContentMac { get; init; }

    /// <summary>Refuse this submission when the list has one with the same <see cref="ContentMac"/> made since then.</summary>
    public DateTimeOffset? UniqueSince { get; init; }

    /// <summary>Keyed hash of the caller's idempotency token: a second submission with it returns the first one.</summary>
    public string? RequestMac { get; init; }
}

/// <summary>
/// The one owner of submissions: stores content sealed with one copy per recipient, and queues its
/// distribution (now, or at its send time). Every path that sends something (submit, demo, digests,
/// notices, announcements, pad captures, mail-in) comes through <see cref="SendAsync"/>; sending itself is
/// the jobs' and <see cref="DeliveryRunner"/>'s business.
/// </summary>
public sealed class DistributionService(
    ListStore lists, MemberStore members, ProviderStore providers, SubmissionStore submissions, DeliveryStore deliveries,
    SubmissionSealing sealing, IBackgroundJobClient jobs, TimeProvider time, SubmissionDuplicates duplicates, DeliveryOptions options)
{
    /// <summary>Minutes from a note-taker, to every member of <paramref name="listName"/>; refused first if they could go nowhere (<see cref="CheckListReadyAsync"/>).</summary>
    public async Task<SubmissionStatus> SubmitAsync(string listName, MinutesDocument minutes, DateTimeOffset? sendAt = null,
        CancellationToken cancellationToken = default)
    {
        var list = await CheckListReadyAsync(listName, sendAt, cancellationToken);
        return await SendAsync(new NewSubmission(list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(minutes), []) { SendAt = sendAt },
            EveryMember(list), cancellationToken);
    }

    /// <summary>
    /// Minutes from a note-taker, refused as a duplicate when the same minutes went to the same list within
    /// <see cref="DeliveryOptions.DuplicateWindow"/> (unless <see cref="SubmitOptions.Again"/>). With an
    /// <see cref="SubmitOptions.IdempotencyToken"/> (a web form), a second call with the same token returns the
    /// first submission instead of making another.
    /// </summary>
    /// <exception cref="DuplicateSubmissionException">The same minutes were submitted to this list within the window.</exception>
    public async Task<SubmissionStatus> SubmitAsync(string listName, MinutesDocument minutes, SubmitOptions submit, CancellationToken cancellationToken = default)
    {
        var list = await CheckListReadyAsync(listName, submit.SendAt, cancellationToken);
        var requestMac = submit.IdempotencyToken is { } token ? duplicates.RequestMac(list, token) : null;
        if (requestMac is not null && await submissions.FindByRequestAsync(list.Id, requestMac, cancellationToken) is { } made)
        {
            return new SubmissionStatus(made, list, await deliveries.ListAsync(made.Id, cancellationToken));
        }

        var contentMac = duplicates.ContentMac(list, minutes);
        var now = time.GetUtcNow();
        var request = new NewSubmission(list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(minutes), [])
        {
            SendAt = submit.SendAt,
            ContentMac = contentMac,
            UniqueSince = submit.Again ? null : now - options.DuplicateWindow,
            RequestMac = requestMac,
        };
        try
        {
            return await SendAsync(request, EveryMember(list), cancellationToken);
        }
        catch (DuplicateSubmissionException duplicate) when (requestMac is not null && duplicate.Existing.RequestMac == requestMac)
        {
            // The same form, posted twice at once: the other post stored it first.
            return new SubmissionStatus(duplicate.Existing, list, await deliveries.ListAsync(duplicate.Existing.Id, cancellationToken));
        }
    }

    /// <summary>
    /// Refuses, before anything is stored, minutes that could not go anywhere: no provider, no members, a revoked list
    /// key, a time in the past. Reads no member: a 10,000-member list's members and certificates read for nothing cost
    /// <c>submit</c> ~0.5 s of CPU and ~20 MB of its peak memory (issue 12); the copies are planned from a stream of the
    /// members (<see cref="PlanEveryMemberAsync"/>).
    /// </summary>
    /// <exception cref="UserFacingException">The list cannot send, said in one line with what to do.</exception>
    public async Task<MailingList> CheckListReadyAsync(string listName, DateTimeOffset? sendAt, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (await providers.FindAsync(list.Id, cancellationToken) is null)
        {
            throw new UserFacingException($"list '{list.Name}' has no provider yet: run secureminutes provider set {list.Name} ...");
        }

        if (!await members.AnyAsync(list.Id, cancellationToken))
        {
            throw new UserFacingException($"list '{list.Name}' has no members yet: run secureminutes member add {list.Name} EMAIL --key FILE");
        }

        if (list.KeyRevokedAt is { } revoked)
        {
            throw new UserFacingException(FormattableString.Invariant($"the key of list '{list.Name}' was revoked on {revoked:yyyy-MM-dd}: nothing can be signed with it; run secureminutes list key rotate {list.Name} first"));
        }

        var now = time.GetUtcNow();
        if (sendAt is { } at && at < now - TimeSpan.FromMinutes(1))
        {
            throw new UserFacingException(FormattableString.Invariant($"--at {at:yyyy-MM-dd HH:mm zzz} is in the past"));
        }

        return list;
    }

    /// <summary>Stores <paramref name="request"/> sealed, with a copy per recipient, and queues its distribution.</summary>
    public Task<SubmissionStatus> SendAsync(NewSubmission request, CancellationToken cancellationToken = default) =>
        SendAsync(request, (id, now, _) => Task.FromResult(request.Recipients.Select(m => NewCopy(id, m, request.List, now)).ToList()), cancellationToken);

    /// <summary>
    /// Stores <paramref name="request"/> sealed, with a copy for every member of its list planned as the members are read
    /// (<see cref="PlanEveryMemberAsync"/>; <see cref="NewSubmission.Recipients"/> is not used), and queues its
    /// distribution. For a submission whose id was chosen before (a web draft's), a second call returns the first one's.
    /// </summary>
    public Task<SubmissionStatus> SendToEveryMemberAsync(NewSubmission request, CancellationToken cancellationToken = default) =>
        SendAsync(request, EveryMember(request.List), cancellationToken);

    /// <summary>
    /// The copies of a submission to every member of <paramref name="list"/>, planned as the members are read one at a time:
    /// a 10,000-member list's certificates are never all held at once (issue 12: memory within 20% between 2,500 and
    /// 10,000 members). Each copy is queued, or skipped with the reason, as <see cref="NewCopy"/> judges the member at
    /// <paramref name="now"/> (the send time, for a preview of who a later send would reach). Ordered by address, as a
    /// listing of them always was.
    /// </summary>
    public async Task<List<Delivery>> PlanEveryMemberAsync(MailingList list, string submissionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var copies = new List<Delivery>();
        await foreach (var member in members.StreamAsync(list.Id, cancellationToken))
        {
            copies.Add(NewCopy(submissionId, member, list, now));
        }

        return copies.OrderBy(c => MemberStore.EmailKey(c.Email), StringComparer.Ordinal).ToList();
    }

    private Func<string, DateTimeOffset, CancellationToken, Task<List<Delivery>>> EveryMember(MailingList list) =>
        (id, now, cancellationToken) => PlanEveryMemberAsync(list, id, now, cancellationToken);

    private async Task<SubmissionStatus> SendAsync(NewSubmission request, Func<string, DateTimeOffset, CancellationToken, Task<List<Delivery>>> copiesOf,
        CancellationToken cancellationToken)
    {
        if (request.Id is { } chosen && await submissions.FindAsync(chosen, cancellationToken) is { } stored)
        {
            // A previous run stored it and may have died before queueing it: queueing twice is harmless.
            Queue(stored);
            return new SubmissionStatus(stored, request.List, await deliveries.ListAsync(stored.Id, cancellationToken));
        }

        var now = time.GetUtcNow();
        var submission = new Submission(request.Id ?? SubmissionIds.New(), request.List.Id, MimeUtils.GenerateMessageId(request.List.Domain), now,
            request.SendAt ?? now)
        {
            Kind = request.Kind,
            SigningFingerprint = request.SigningKey,
            ContentMac = request.ContentMac,
            RequestMac = request.RequestMac,
        };
        var sealedPayload = sealing.Seal(submission.Id, request.Payload.Serialize());
        var rows = await copiesOf(submission.Id, now, cancellationToken);
        bool created;
        try
        {
            created = await submissions.CreateAsync(submission, sealedPayload, rows, request.UniqueSince, cancellationToken);
        }
        catch (System.Data.Common.DbException ex) when (request.RequestMac is not null && UniqueViolation.Is(ex))
        {
            created = false;
        }

        if (!created)
        {
            var existing = (request.RequestMac is { } requestMac ? await submissions.FindByRequestAsync(request.List.Id, requestMac, cancellationToken) : null)
                ?? await submissions.FindSameContentAsync(request.List.Id, request.ContentMac!, request.UniqueSince ?? now, cancellationToken)
                ?? throw new InvalidOperationException($"Submission {submission.Id} was refused as a duplicate, but no earlier one was found.");
            throw SubmissionDuplicates.Refusal(request.List, existing, now);
        }

        Queue(submission);
        return new SubmissionStatus(submission, request.List, rows);
    }

    /// <summary>
    /// Queues the distribution of a stored submission: now, or at its send time ("send at 22:00"). Safe to call
    /// again for a submission already queued or partly sent (redistribution, resume, sweep): distribution only
    /// sends the copies still pending.
    /// </summary>
    public void Queue(Submission submission)
    {
        if (submission.SendAt > time.GetUtcNow())
        {
            jobs.Schedule<DistributeJob>(job => job.RunAsync(submission.Id, CancellationToken.None), submission.SendAt);
        }
        else
        {
            jobs.Enqueue<DistributeJob>(job => job.RunAsync(submission.Id, CancellationToken.None));
        }
    }

    /// <summary>A new copy for a member: queued, or skipped with the reason if they cannot be sent it now (<see cref="DeliveryEligibility"/>).</summary>
    public static Delivery NewCopy(string submissionId, Member member, MailingList list, DateTimeOffset now)
    {
        var (_, refusal) = DeliveryEligibility.Judge(member, list, now);
        return refusal is null
            ? new Delivery(submissionId, member.Id, member.Email, member.Fingerprint.Hex, DeliveryState.Queued, 0, null, now, null)
            : new Delivery(submissionId, member.Id, member.Email, member.Fingerprint.Hex, DeliveryState.SkippedNoKey, 0, refusal, now, null);
    }

    public async Task<SubmissionStatus> StatusAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        var submission = await submissions.GetAsync(submissionId.Trim(), cancellationToken);
        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        return new SubmissionStatus(submission, list, await deliveries.ListAsync(submission.Id, cancellationToken));
    }

    /// <summary>Opens a submission's sealed content (digests quote earlier minutes).</summary>
    /// <exception cref="ContentShreddedException">Its content was shredded (retention or <c>purge</c>).</exception>
    public async Task<MinutesPayload> OpenPayloadAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        if (await submissions.GetSealedContentAsync(submissionId, cancellationToken) is not { } content)
        {
            var shredded = await submissions.GetAsync(submissionId, cancellationToken);
            throw new ContentShreddedException(shredded);
        }

        return MinutesPayload.Deserialize(sealing.Open(submissionId, content));
    }
}
