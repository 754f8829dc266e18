using System.CommandLine;
using SecureMinutes.Cli;
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
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var status = await context.Get<DistributionService>().StatusAsync(parse.GetValue(submission)!, cancellationToken);
            await StatusPrinter.PrintAsync(context, status, parse.GetValue(json));
            var list = await context.Get<ListStore>().GetAsync(status.List.Id, cancellationToken);
            if (list.IsPaused)
            {
                await context.Error.WriteLineAsync($"warning: sending from {list.Name} is paused: {list.PausedReason} ({ListPause.Advice(list.Name, list.PausedReason!)})");
            }

            if (!(await context.Get<MemberStore>().ListAsync(list.Id, cancellationToken)).Any(m => m.IsAdmin))
            {
                await context.Error.WriteLineAsync($"warning: {list.Name} has no admin, so nobody is told about copies that fail (secureminutes member set {list.Name} EMAIL --admin)");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
