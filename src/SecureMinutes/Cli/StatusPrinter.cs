using System.Globalization;
using SecureMinutes.Distribution;
using SecureMinutes.Lists;

namespace SecureMinutes.Cli;

/// <summary>How a submission's per-member states are shown, as text or JSON.</summary>
public static class StatusPrinter
{
    public static async Task PrintAsync(CliConsole console, SubmissionStatus status, bool json)
    {
        if (json)
        {
            await Json.WriteAsync(console.Out, new
            {
                submission = status.Submission.Id,
                list = status.List.Name,
                createdAt = status.Submission.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                sendAt = status.Submission.SendAt.ToString("O", CultureInfo.InvariantCulture),
                total = status.Deliveries.Count,
                delivered = status.Count(DeliveryState.Delivered),
                finished = status.IsFinished,
                shreddedAt = status.Submission.ShreddedAt?.ToString("O", CultureInfo.InvariantCulture),
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

        await console.WriteBlockAsync(output => PrintTableAsync(output, status));
    }

    private static async Task PrintTableAsync(TextWriter output, SubmissionStatus status)
    {
        await output.WriteLineAsync($"{status.Submission.Id} to {status.List.Name}: {Summary(status)}");
        if (status.Submission.ShreddedAt is not null)
        {
            await output.WriteLineAsync($"content shredded on {ContentShreddedException.ShreddedOn(status.Submission)}: only its date and each copy's state are kept");
        }

        var width = status.Deliveries.Count == 0 ? 5 : status.Deliveries.Max(d => d.Email.Length);
        foreach (var delivery in status.Deliveries)
        {
            var detail = delivery.State == DeliveryState.Delivered || delivery.Detail is null ? "" : $"  {TerminalText.Escape(delivery.Detail)}";
            await output.WriteLineAsync($"{delivery.State.ToText(),-16}  {delivery.Email.PadRight(width)}{detail}");
        }
    }

    /// <summary>Prints the outcome of a wait and turns it into the exit code (0 only if every copy was delivered).</summary>
    public static async Task<int> ReportAsync(CliConsole console, WaitOutcome outcome, bool json)
    {
        await PrintAsync(console, outcome.Status, json);
        if (outcome.PausedReason is { } reason)
        {
            await console.Error.WriteLineAsync($"error: {TerminalText.Escape(reason)} (sending is paused, nothing is lost: {ListPause.Advice(outcome.Status.List.Name, reason)})");
        }

        return outcome.Status.Count(DeliveryState.Delivered) == outcome.Status.Deliveries.Count ? ExitCodes.Success : ExitCodes.NotAllDelivered;
    }

    public static string Summary(SubmissionStatus status)
    {
        var parts = new List<string> { $"{status.Count(DeliveryState.Delivered)}/{status.Deliveries.Count} delivered" };
        foreach (var state in new[] { DeliveryState.Queued, DeliveryState.Sending, DeliveryState.FailedTransient, DeliveryState.FailedPermanent, DeliveryState.SkippedNoKey, DeliveryState.Cancelled })
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
