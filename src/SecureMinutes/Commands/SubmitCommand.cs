using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;

namespace SecureMinutes.Commands;

public static class SubmitCommand
{
    public static Command Build()
    {
        var list = new Argument<string>("LIST");
        var file = new Option<FileInfo>("--file") { Description = "The minutes: UTF-8 text or Markdown", Required = true };
        var subject = new Option<string?>("--subject") { Description = "Subject members see (default: the first heading of the file)" };
        var wait = new Option<bool>("--wait") { Description = "Return when every member's copy is delivered or failed; exit 0 only if all were delivered" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("submit", "Send minutes to every member of a list, each copy encrypted to that member alone") { list, file, subject, wait, json };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var path = parse.GetValue(file)!.FullName;
            var text = MinutesFile.ReadText(path);
            var document = new MinutesDocument(MinutesSubject.Choose(parse.GetValue(subject), text, DateTimeOffset.Now), text);
            var asJson = parse.GetValue(json);
            var submitted = await context.Get<DistributionService>().SubmitAsync(parse.GetValue(list)!, document, cancellationToken: cancellationToken);
            if (!parse.GetValue(wait))
            {
                if (asJson)
                {
                    await Json.WriteAsync(context.Out, new { submission = submitted.Submission.Id, list = submitted.List.Name, members = submitted.Deliveries.Count });
                }
                else
                {
                    await context.Out.WriteLineAsync(submitted.Submission.Id);
                }
            }

            var run = await ProgressView.RunAsync(context, $"Sending to {submitted.Deliveries.Count} members", asJson,
                progress => context.Get<DeliveryRunner>().RunAsync(submitted.Submission.Id, progress: progress, cancellationToken: cancellationToken));
            var status = await context.Get<DistributionService>().StatusAsync(submitted.Submission.Id, cancellationToken);
            if (!parse.GetValue(wait))
            {
                return run.Stopped is { } stopped ? throw stopped : ExitCodes.Success;
            }

            await StatusPrinter.PrintAsync(context, status, asJson);
            if (run.Stopped is { } stop)
            {
                await context.Error.WriteLineAsync($"error: {stop.Message}");
            }

            return status.Count(DeliveryState.Delivered) == status.Deliveries.Count ? ExitCodes.Success : ExitCodes.NotAllDelivered;
        });
        return command;
    }
}
