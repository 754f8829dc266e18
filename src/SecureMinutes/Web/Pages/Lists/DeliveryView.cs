using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;
using SecureMinutes.Distribution;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages.Lists;

/// <summary>One member's copy as the delivery page shows it (and its script updates): localized state, the reason.</summary>
public sealed record CopyView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>A submission's progress: the same figures for the page and for its live updates (<c>?handler=Progress</c>).</summary>
public sealed record DeliveryView(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("final")] int Final,
    [property: JsonPropertyName("delivered")] int Delivered,
    [property: JsonPropertyName("problems")] int Problems,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("percent")] int Percent,
    [property: JsonPropertyName("finished")] bool Finished,
    [property: JsonPropertyName("scheduled")] bool Scheduled,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("copies")] IReadOnlyList<CopyView> Copies)
{
    [JsonIgnore] public DateTimeOffset SendAt { get; init; }

    /// <summary>Reload once at the end, so the retry button and final states come from the server.</summary>
    [JsonPropertyName("reload")] public bool Reload => Finished;

    public static DeliveryView Of(SubmissionStatus status, DateTimeOffset now, IStringLocalizer<Text> text)
    {
        var copies = status.Deliveries;
        var total = copies.Count;
        var final = copies.Count(c => c.State.IsFinal());
        var delivered = status.Count(DeliveryState.Delivered);
        var problems = copies.Count(c => c.State is DeliveryState.FailedPermanent or DeliveryState.SkippedNoKey or DeliveryState.Cancelled);
        var percent = total == 0 ? 100 : (int)Math.Floor(100.0 * final / total);
        var scheduled = status.Submission.SendAt > now && status.Submission.CancelledAt is null;
        var summary = status.Submission.CancelledAt is not null ? text["SendCancelled"]
            : final == total ? (problems == 0 ? text["AllDelivered", delivered] : text["DoneWithProblems", delivered, total, problems])
            : scheduled ? text["WaitingForTime"]
            : text["Sending", final, total];
        return new DeliveryView(total, final, delivered, problems, status.Count(DeliveryState.FailedPermanent), percent, final == total, scheduled, summary,
            // A copy to a negative id is a challenge (joining, or a member's key change), not minutes: labelled as such.
            copies.Select(c => new CopyView(c.MemberId, c.MemberId < 0 ? $"{c.Email} ({text["ChallengeCopy"]})" : c.Email, c.State.ToText(),
                text["State_" + c.State.ToText()], c.Detail)).ToList())
        {
            SendAt = status.Submission.SendAt,
        };
    }
}
