using MimeKit.Utils;
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
/// Accepts content for a list: seals it, and records one delivery per recipient (queued, or skipped when
/// the recipient's key cannot be used: never sent in clear). Sending is the jobs' and runner's business.
/// </summary>
public sealed class DistributionService(
    ListStore lists, MemberStore members, ProviderStore providers, SubmissionStore submissions, DeliveryStore deliveries,
    Vault vault, TimeProvider time)
{
    public async Task<SubmissionStatus> SubmitAsync(string listName, MinutesDocument minutes, DateTimeOffset? sendAt = null,
        CancellationToken cancellationToken = default)
    {
        var (list, memberList) = await CheckReadyAsync(listName, sendAt, cancellationToken);
        return await CreateAsync(list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(minutes), memberList, sendAt ?? time.GetUtcNow(),
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Refuses, before anything is stored, minutes that could not go anywhere: no provider, no members, a
    /// revoked list key, a time in the past.
    /// </summary>
    public async Task<(MailingList List, IReadOnlyList<Member> Members)> CheckReadyAsync(string listName, DateTimeOffset? sendAt,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (await providers.FindAsync(list.Id, cancellationToken) is null)
        {
            throw new UserFacingException($"list '{list.Name}' has no provider yet: run secureminutes provider set {list.Name} ...");
        }

        var memberList = await members.ListAsync(list.Id, cancellationToken);
        if (memberList.Count == 0)
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

        return (list, memberList);
    }

    /// <summary>
    /// Stores sealed content and a copy per recipient; shared by minutes, digests, notices and announcements.
    /// <paramref name="signingKey"/> names a retired list key to sign with (a rotation's announcement).
    /// </summary>
    public Task<SubmissionStatus> CreateAsync(MailingList list, SubmissionKind kind, MinutesPayload payload, IReadOnlyList<Member> recipients,
        DateTimeOffset sendAt, Fingerprint? signingKey = null, CancellationToken cancellationToken = default) =>
        CreateAsync(SubmissionIds.New(), list, kind, payload, recipients, sendAt, signingKey, cancellationToken);

    /// <summary>
    /// The same with an id chosen beforehand: work that may be retried after a crash (a scheduled pad capture,
    /// a mail-in message) records the id first, so a second attempt finds the submission instead of making another.
    /// </summary>
    public async Task<SubmissionStatus> CreateAsync(string submissionId, MailingList list, SubmissionKind kind, MinutesPayload payload,
        IReadOnlyList<Member> recipients, DateTimeOffset sendAt, Fingerprint? signingKey = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var submission = new Submission(submissionId, list.Id, MimeUtils.GenerateMessageId(list.Domain), now, sendAt)
        {
            Kind = kind,
            SigningFingerprint = signingKey,
        };
        var sealedPayload = vault.Box.Seal(payload.Serialize(), PayloadPurpose(submission.Id));
        var rows = recipients.Select(m => NewCopy(submission.Id, m, list, now)).ToList();
        await submissions.CreateAsync(submission, sealedPayload, rows, cancellationToken);
        return new SubmissionStatus(submission, list, rows);
    }

    /// <summary>A new copy for a member: queued, or skipped with the reason if they cannot be sent it now (<see cref="DeliveryEligibility"/>).</summary>
    public static Delivery NewCopy(string submissionId, Member member, MailingList list, DateTimeOffset now)
    {
        var (_, refusal) = DeliveryEligibility.Check(member, list, now);
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
    public async Task<MinutesPayload> OpenPayloadAsync(string submissionId, CancellationToken cancellationToken = default) =>
        MinutesPayload.Deserialize(vault.Box.Open(await submissions.GetSealedPayloadAsync(submissionId, cancellationToken), PayloadPurpose(submissionId)));

    internal static string PayloadPurpose(string submissionId) => $"submission-payload:{submissionId}";
}
