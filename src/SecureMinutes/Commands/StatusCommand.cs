using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;

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
            return ExitCodes.Success;
        });
        return command;
    }
}
