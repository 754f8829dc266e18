using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.MailIn;

namespace SecureMinutes.Commands;

/// <summary><c>provider set-intake | remove-intake | check-intake</c>: the IMAP mailbox a list receives minutes by mail in.</summary>
public static class IntakeCommands
{
    public static Command SetIntake()
    {
        var list = new Argument<string>("LIST");
        var host = new Option<string>("--host") { Description = "IMAP server, e.g. mail.riseup.net", Required = true };
        var port = new Option<int>("--port") { Description = "993 for tls, 143 for starttls", Required = true };
        var security = new Option<string>("--security") { Description = "tls | starttls | none (none: loopback servers only)", Required = true };
        var user = new Option<string>("--user") { Description = "Login of the list's mailbox", Required = true };
        var passwordEnv = new Option<string>("--password-env") { Description = "Name of the environment variable holding the IMAP password (read when fetching, never stored)", Required = true };
        var folder = new Option<string?>("--folder") { Description = "Folder to fetch (default INBOX); processed mail is deleted from it" };
        var trustCert = new Option<FileInfo?>("--trust-cert") { Description = "Pin this certificate (PEM or DER) for a server with a self-signed one" };
        var command = new Command("set-intake", "Receive minutes by mail: fetch this IMAP mailbox every minute, distribute what a note-taker signed and encrypted to the list")
        {
            list, host, port, security, user, passwordEnv, folder, trustCert,
        };
        command.SetHandler(async (ParseResult parse, IntakeSetup intake, CliConsole console, CancellationToken cancellationToken) =>
        {
            var (mailingList, settings) = await intake.SetAsync(parse.GetValue(list)!, parse.GetValue(host)!, parse.GetValue(port),
                parse.GetValue(security)!, parse.GetValue(user)!, parse.GetValue(passwordEnv)!, parse.GetValue(folder), parse.GetValue(trustCert)?.FullName, cancellationToken);
            await console.Out.WriteLineAsync($"{mailingList.Name} receives minutes from {settings.Describe()}");
            await console.Out.WriteLineAsync($"Accepted: mail encrypted to the list's key and signed by a note-taker (member add/set {mailingList.Name} EMAIL --note-taker).");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command RemoveIntake()
    {
        var list = new Argument<string>("LIST");
        var command = new Command("remove-intake", "Stop fetching the list's intake mailbox") { list };
        command.SetHandler(async (ParseResult parse, IntakeSetup intake, CliConsole console, CancellationToken cancellationToken) =>
        {
            var mailingList = await intake.RemoveAsync(parse.GetValue(list)!, cancellationToken);
            await console.Out.WriteLineAsync($"{mailingList.Name} no longer fetches mail");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CheckIntake()
    {
        var list = new Argument<string>("LIST");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("check-intake", "Fetch the list's intake mailbox now and say what was done with each mail") { list, json };
        command.SetHandler(async (ParseResult parse, Lists.ListService listService, MailInProcessor processor, CliConsole console, CancellationToken cancellationToken) =>
        {
            var mailingList = await listService.GetAsync(parse.GetValue(list)!, cancellationToken);
            var outcomes = await processor.RunAsync(mailingList.Id, cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, outcomes.Select(o => new { uid = o.Uid, outcome = o.Outcome, reason = o.Reason, submission = o.SubmissionId }));
            }
            else if (outcomes.Count == 0)
            {
                await console.Out.WriteLineAsync("No new mail.");
            }
            else
            {
                foreach (var outcome in outcomes)
                {
                    await console.Out.WriteLineAsync($"{outcome.Outcome,-26}  {outcome.SubmissionId ?? "-",-19}  {TerminalText.Escape(outcome.Reason)}");
                }
            }

            // A refused mail needs someone to look (the sender was answered, if a member): scripts must notice.
            return outcomes.Any(o => o.Refused) ? ExitCodes.NeedsAttention : ExitCodes.Success;
        });
        return command;
    }
}
