using System.CommandLine;
using System.Globalization;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Minutes;

namespace SecureMinutes.Commands;

public static class SubmitCommand
{
    public static Command Build()
    {
        var list = new Argument<string>("LIST");
        var file = new Option<FileInfo>("--file") { Description = "The minutes: UTF-8 text or Markdown", Required = true };
        var subject = new Option<string?>("--subject") { Description = "Subject members see (default: the first heading of the file)" };
        var at = new Option<string?>("--at") { Description = "Send later, e.g. 2026-12-01T22:00+01:00 (ISO 8601; without an offset: this machine's time zone)" };
        var wait = new Option<bool>("--wait") { Description = "Return when every member's copy is delivered or failed; exit 0 only if all were delivered" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("submit", "Send minutes to every member of a list, each copy encrypted to that member alone") { list, file, subject, at, wait, json };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var text = MinutesFile.ReadText(parse.GetValue(file)!.FullName);
            var document = new MinutesDocument(MinutesSubject.Choose(parse.GetValue(subject), text, DateTimeOffset.Now), text);
            var sendAt = parse.GetValue(at) is { } when ? ParseTime(when) : (DateTimeOffset?)null;
            var asJson = parse.GetValue(json);

            var submitted = await context.Get<DistributionService>().SubmitAsync(parse.GetValue(list)!, document, sendAt, cancellationToken);
            context.Get<SubmissionDispatcher>().Dispatch(submitted.Submission);
            if (!parse.GetValue(wait))
            {
                if (asJson)
                {
                    await Json.WriteAsync(context.Out, new
                    {
                        submission = submitted.Submission.Id,
                        list = submitted.List.Name,
                        members = submitted.Deliveries.Count,
                        sendAt = submitted.Submission.SendAt.ToString("O", CultureInfo.InvariantCulture),
                    });
                }
                else
                {
                    await context.Out.WriteLineAsync(submitted.Submission.Id);
                }

                if (!JobServers.AnyAlive(context.Get<JobStorage>(), DateTimeOffset.UtcNow))
                {
                    await context.Error.WriteLineAsync("note: no server is running here; the mails go out when `secureminutes serve` (or worker) runs, or use --wait");
                }

                return ExitCodes.Success;
            }

            var outcome = await ProgressView.RunAsync(context, $"Sending to {submitted.Deliveries.Count} members", asJson,
                progress => SubmissionWaiter.WaitAsync(context, submitted.Submission.Id, progress, cancellationToken));
            return await StatusPrinter.ReportAsync(context, outcome, asJson);
        });
        return command;
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? time
            : throw new UserFacingException($"--at '{text}' is not a date and time (e.g. 2026-12-01T22:00+01:00)");
}
