using Microsoft.Extensions.Localization;
using SecureMinutes.Distribution;
using SecureMinutes.Web.Resources;
using SecureMinutes.Storage;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>The list's latest minutes and how far each got.</summary>
public sealed class DeliveriesModel(SubmissionStore submissions, DeliveryStore deliveries, DistributionService distribution, IStringLocalizer<Text> text) : ListPage
{
    public sealed record Row(Submission Submission, string Subject, int Delivered, int Total);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var submission in await submissions.LatestAsync(Grant.List.Id, SubmissionKind.Minutes, 20, cancellationToken))
        {
            var counts = await deliveries.CountAsync(submission.Id, cancellationToken);
            var subject = submission.ShreddedAt is null
                ? (await distribution.OpenPayloadAsync(submission.Id, cancellationToken)).Subject
                : text["ContentShredded", ContentShreddedException.ShreddedOn(submission)];
            rows.Add(new Row(submission, subject, counts.GetValueOrDefault(DeliveryState.Delivered), counts.Values.Sum()));
        }

        Rows = rows;
    }
}
