using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SecureMinutes.Distribution;
using SecureMinutes.Storage;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>
/// One send, live: delivered out of total, each member's state and reason, updated by the page's script without
/// reloading (or by a refresh without script); retry the copies that failed for good, or cancel a send still
/// waiting for its time. A submission of another list is "not found", like one that does not exist.
/// </summary>
public sealed class DeliveryModel(DistributionService distribution, SubmissionStore submissions, DeliveryControl control, TimeProvider time,
    IStringLocalizer<Text> text) : ListPage
{
    public DeliveryView? View { get; private set; }

    public string Subject { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetProgressAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } status ? new JsonResult(DeliveryView.Of(status, time.GetUtcNow(), text)) : NotFound();

    public Task<IActionResult> OnPostRetryAsync(string id, CancellationToken cancellationToken) => ActAsync(id, async () =>
    {
        var count = await control.RetryFailedAsync(id, Actor, cancellationToken);
        Message = text["RetryQueued", count];
    }, cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(string id, CancellationToken cancellationToken) => ActAsync(id, async () =>
    {
        await control.CancelAsync(id, Actor, cancellationToken);
        Message = text["SendCancelled"];
    }, cancellationToken);

    /// <summary>An action on a delivery of this list; another list's, or none, is not found.</summary>
    private async Task<IActionResult> ActAsync(string id, Func<Task> action, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is null ? NotFound() : await ActAsync(action, () => LoadAsync(id, cancellationToken));

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } status)
        {
            return false;
        }

        View = DeliveryView.Of(status, time.GetUtcNow(), text);
        Subject = status.Submission.ShreddedAt is null
            ? (await distribution.OpenPayloadAsync(status.Submission.Id, cancellationToken)).Subject
            : text["ContentShredded", ContentShreddedException.ShreddedOn(status.Submission)];
        return true;
    }

    /// <summary>Minutes of this list only: another list's submission, or a notice to admins, is not found.</summary>
    private async Task<SubmissionStatus?> FindAsync(string id, CancellationToken cancellationToken) =>
        await submissions.FindAsync(id, cancellationToken) is { Kind: SubmissionKind.Minutes } submission && submission.ListId == Grant.List.Id
            ? await distribution.StatusAsync(submission.Id, cancellationToken)
            : null;
}
