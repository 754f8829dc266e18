using System.Globalization;
using SecureMinutes.Distribution;

namespace SecureMinutes.Cli;

/// <summary>How a submission's per-member states are shown, as text or JSON.</summary>
public static class StatusPrinter
{
    public static async Task PrintAsync(CommandContext context, SubmissionStatus status, bool json)
    {
        if (json)
        {
            await Json.WriteAsync(context.Out, new
            {
                submission = status.Submission.Id,
                list = status.List.Name,
                createdAt = status.Submission.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                sendAt = status.Submission.SendAt.ToString("O", CultureInfo.InvariantCulture),
                total = status.Deliveries.Count,
                delivered = status.Count(DeliveryState.Delivered),
                finished = status.IsFinished,
                deliveries = status.Deliveries.Select(d => new
                {
                    email = d.Email,
                    state = d.State.ToText(),
                    attempts = d.Attempts,
                    detail = d.Detail,
                    deliveredAt = d.DeliveredAt?.ToString("O", CultureInfo.InvariantCulture),
                }),
            });
            return;
        }

        await context.Out.WriteLineAsync($"{status.Submission.Id} to {status.List.Name}: {Summary(status)}");
        var width = status.Deliveries.Count == 0 ? 5 : status.Deliveries.Max(d => d.Email.Length);
        foreach (var delivery in status.Deliveries)
        {
            var detail = delivery.State == DeliveryState.Delivered || delivery.Detail is null ? "" : $"  {delivery.Detail}";
            await context.Out.WriteLineAsync($"{delivery.State.ToText(),-16}  {delivery.Email.PadRight(width)}{detail}");
        }
    }

    public static string Summary(SubmissionStatus status)
    {
        var parts = new List<string> { $"{status.Count(DeliveryState.Delivered)}/{status.Deliveries.Count} delivered" };
        foreach (var state in new[] { DeliveryState.Queued, DeliveryState.Sending, DeliveryState.FailedTransient, DeliveryState.FailedPermanent, DeliveryState.SkippedNoKey })
        {
            var count = status.Count(state);
            if (count > 0)
            {
                parts.Add($"{count} {state.ToText()}");
            }
        }

        return string.Join(", ", parts);
    }
}
