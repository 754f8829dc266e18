using MimeKit.Utils;
using Org.BouncyCastle.Bcpg.OpenPgp;
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
/// Accepts minutes for a list: seals them, and records one delivery per member (queued, or skipped when
/// the member's key cannot be used: never sent in clear). Sending is the <see cref="DeliveryRunner"/>'s job.
/// </summary>
public sealed class DistributionService(
    ListStore lists, MemberStore members, ProviderStore providers, SubmissionStore submissions, DeliveryStore deliveries,
    Vault vault, TimeProvider time)
{
    public async Task<SubmissionStatus> SubmitAsync(string listName, MinutesDocument minutes, DateTimeOffset? sendAt = null,
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

        var now = time.GetUtcNow();
        var submission = new Submission(SubmissionIds.New(), list.Id, MimeUtils.GenerateMessageId(list.Domain), now, sendAt ?? now);
        var sealedPayload = vault.Box.Seal(MinutesPayload.FromDocument(minutes).Serialize(), PayloadPurpose(submission.Id));
        var rows = memberList.Select(m =>
        {
            var key = KeyAssessor.Assess(new PgpPublicKeyRing(m.PublicKey), now);
            return key.Status.CanReceive()
                ? new Delivery(submission.Id, m.Id, m.Email, m.Fingerprint.Hex, DeliveryState.Queued, 0, null, now, null)
                : new Delivery(submission.Id, m.Id, m.Email, m.Fingerprint.Hex, DeliveryState.SkippedNoKey, 0, $"not sent: {key.Problem}", now, null);
        }).ToList();
        await submissions.CreateAsync(submission, sealedPayload, rows, cancellationToken);
        return new SubmissionStatus(submission, list, rows);
    }

    public async Task<SubmissionStatus> StatusAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        var submission = await submissions.GetAsync(submissionId.Trim(), cancellationToken);
        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        return new SubmissionStatus(submission, list, await deliveries.ListAsync(submission.Id, cancellationToken));
    }

    internal static string PayloadPurpose(string submissionId) => $"submission-payload:{submissionId}";
}
