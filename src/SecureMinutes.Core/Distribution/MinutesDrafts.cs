using System.Data.Common;
using System.Security.Cryptography;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>Who a draft would reach if confirmed now: how many members get a copy, who is skipped and why.</summary>
public sealed record DraftAudience(int Recipients, IReadOnlyList<Delivery> Skipped);

/// <summary>
/// The web app's two-step send: minutes are checked and stored sealed as a draft (so the preview can show exactly what
/// will go out, attachments included, without keeping anything in the browser), then confirmed once. The draft's
/// submission id is chosen when it is saved: confirming again finds the submission the first confirmation made.
/// </summary>
public sealed class MinutesDrafts(MinutesDraftStore drafts, SubmissionStore submissions, DistributionService distribution, Vault vault, TimeProvider time)
{
    /// <summary>How long an unconfirmed draft is kept (sealed) before it is dropped.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>Checks the list can send (<see cref="DistributionService.CheckListReadyAsync"/>) and stores the draft sealed; returns it.</summary>
    public async Task<MinutesDraft> SaveAsync(long accountId, string listName, MinutesDocument document, DateTimeOffset? sendAt,
        CancellationToken cancellationToken = default)
    {
        var list = await distribution.CheckListReadyAsync(listName, sendAt, cancellationToken);
        var now = time.GetUtcNow();
        await drafts.DeleteOlderThanAsync(now - Lifetime, cancellationToken);
        var draft = new MinutesDraft(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), SubmissionIds.New(), document, sendAt);
        await drafts.AddAsync(new StoredDraft(draft.Id, accountId, list.Id, draft.SubmissionId, vault.Box.Seal(draft.Serialize(), Purpose(draft.Id)), now),
            cancellationToken);
        return draft;
    }

    /// <summary>
    /// The draft if it is this account's, for this list. <c>Sent</c> is the submission when the draft was confirmed
    /// already (its content is then gone); null draft: no such draft for them.
    /// </summary>
    public async Task<(MinutesDraft? Draft, Submission? Sent)> OpenAsync(string id, long accountId, MailingList list, CancellationToken cancellationToken = default)
    {
        if (await drafts.FindAsync(id, accountId, list.Id, cancellationToken) is not { } stored)
        {
            return (null, null);
        }

        if (await submissions.FindAsync(stored.SubmissionId, cancellationToken) is { } sent)
        {
            return (null, sent);
        }

        return stored.Sealed.Length == 0 ? (null, null) : (MinutesDraft.Deserialize(stored.Id, stored.SubmissionId, vault.Box.Open(stored.Sealed, Purpose(stored.Id))), null);
    }

    /// <summary>Who would receive the minutes if sent at <paramref name="sendAt"/>: the same judgement each copy gets when it is made.</summary>
    public async Task<DraftAudience> AudienceAsync(string listName, DateTimeOffset? sendAt, CancellationToken cancellationToken = default)
    {
        var list = await distribution.CheckListReadyAsync(listName, sendAt, cancellationToken);
        var now = time.GetUtcNow();
        var copies = await distribution.PlanEveryMemberAsync(list, "", sendAt is { } at && at > now ? at : now, cancellationToken);
        return new DraftAudience(copies.Count(c => c.State == DeliveryState.Queued), copies.Where(c => c.State == DeliveryState.SkippedNoKey).ToList());
    }

    /// <summary>
    /// Sends the draft to every member (now or at its time) and drops its content. Confirming a draft again, even at
    /// the same instant from two taps, returns the one submission: its id was fixed when the draft was saved.
    /// </summary>
    public async Task<Submission> ConfirmAsync(MinutesDraft draft, string listName, CancellationToken cancellationToken = default)
    {
        if (await submissions.FindAsync(draft.SubmissionId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var list = await distribution.CheckListReadyAsync(listName, draft.SendAt, cancellationToken);
        SubmissionStatus status;
        try
        {
            status = await distribution.SendToEveryMemberAsync(new NewSubmission(list, SubmissionKind.Minutes, MinutesPayload.FromDocument(draft.Document), [])
            {
                Id = draft.SubmissionId,
                SendAt = draft.SendAt,
            }, cancellationToken);
        }
        catch (DbException ex) when (UniqueViolation.Is(ex))
        {
            // The other tap stored it between our check and our insert.
            return await submissions.GetAsync(draft.SubmissionId, cancellationToken);
        }

        await drafts.ClearAsync(draft.Id, cancellationToken);
        return status.Submission;
    }

    private static string Purpose(string draftId) => $"minutes-draft:{draftId}";
}
