using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Lists;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

public static class StatusCommand
{
    public static Command Build()
    {
        var submission = new Argument<string>("SUBMISSION") { Description = "The id printed by submit, e.g. sub-7k2m-q9xp-4hd3" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("status", "Show where each member's copy of a submission stands") { submission, json };
        command.SetHandler(async (ParseResult parse, SubmissionStore submissions, PadCaptureStore padCaptures, DistributionService distribution, MemberStore members,
            CliConsole console, CancellationToken cancellationToken) =>
        {
            var id = parse.GetValue(submission)!.Trim();
            if (await submissions.FindAsync(id, cancellationToken) is null
                && await padCaptures.FindBySubmissionAsync(id, cancellationToken) is { } capture)
            {
                // Scheduled with --pad --at: no minutes exist before the pad is read.
                var when = capture.CaptureAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                var state = capture.State == Minutes.PadCaptureState.Failed
                    ? $"the pad could not be read at {when} ({capture.Failure}); nothing was sent, the admins were told"
                    : $"the pad will be read and sent at {when}";
                if (parse.GetValue(json))
                {
                    await Json.WriteAsync(console.Out, new { submission = id, capture = capture.State.ToString().ToLowerInvariant(), captureAt = capture.CaptureAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), failure = capture.Failure });
                }
                else
                {
                    await console.Out.WriteLineAsync($"{id}: {state}");
                }

                return capture.State == Minutes.PadCaptureState.Failed ? ExitCodes.NotAllDelivered : ExitCodes.Success;
            }

            var status = await distribution.StatusAsync(id, cancellationToken);
            await StatusPrinter.PrintAsync(console, status, parse.GetValue(json));
            var list = status.List;
            if (list.IsPaused)
            {
                await console.Error.WriteLineAsync($"warning: sending from {list.Name} is paused: {TerminalText.Escape(list.PausedReason)} ({ListPause.Advice(list.Name, list.PausedReason!)})");
            }

            // Counted from the members' sealed settings alone: opening every member with their certificate cost a 10,000-member
            // list's status ~0.4 s more (issue 12: everyday commands within a second).
            if ((await members.CountAsync(list.Id, cancellationToken)).Admins == 0)
            {
                await console.Error.WriteLineAsync($"warning: {list.Name} has no admin, so nobody is told about copies that fail (secureminutes member set {list.Name} EMAIL --admin)");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
