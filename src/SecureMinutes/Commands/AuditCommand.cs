using System.CommandLine;
using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>audit LIST</c>: every change to the list's keys and members, and its shredded minutes, who made it and when (key
/// metadata and counts only, never minutes). <c>audit</c> without a list: the lines that outlive their list (deleted lists).
/// </summary>
public static class AuditCommand
{
    public static Command Build()
    {
        var list = new Argument<string?>("LIST") { Arity = ArgumentArity.ZeroOrOne, Description = "The list (none: the lines that outlive their list, such as deleted lists)" };
        var member = new Option<string?>("--member") { Description = "Only this member's entries" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("audit", "Show the audit log of a list: who changed which key or member, shredded minutes, when, old and new fingerprints") { list, member, json };
        command.SetHandler(async (ParseResult parse, ListStore lists, AuditStore audit, ServiceAuditStore serviceAudit, CliConsole console, CancellationToken cancellationToken) =>
        {
            if (parse.GetValue(list) is not { } listName)
            {
                return await ServiceAuditOutput.WriteAsync(serviceAudit, parse.GetValue(member) is not null, parse.GetValue(json), console, cancellationToken);
            }

            var mailingList = await lists.GetAsync(listName, cancellationToken);
            var entries = await audit.ListAsync(mailingList.Id, parse.GetValue(member), cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, entries.Select(e => new
                {
                    at = e.At.ToString("O", CultureInfo.InvariantCulture),
                    by = e.Actor,
                    action = e.Action,
                    member = e.MemberEmail,
                    oldFingerprint = e.OldFingerprint,
                    newFingerprint = e.NewFingerprint,
                    detail = e.Detail,
                }));
                return ExitCodes.Success;
            }

            if (entries.Count == 0)
            {
                await console.Out.WriteLineAsync("No key changes recorded yet.");
                return ExitCodes.Success;
            }

            foreach (var e in entries)
            {
                var fingerprints = (e.OldFingerprint, e.NewFingerprint) switch
                {
                    (null, null) => "",
                    (null, { } added) => $" {added}",
                    ({ } old, null) => $" {old}",
                    ({ } old, { } next) when old == next => $" {old}",
                    ({ } old, { } next) => $" {old} -> {next}",
                };
                var who = e.MemberEmail is null ? "" : $" {TerminalText.Escape(e.MemberEmail)}";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{e.At:yyyy-MM-dd HH:mm:ss}Z  {TerminalText.Escape(e.Actor)}  {e.Action}{who}{fingerprints}{(e.Detail is null ? "" : $"  ({TerminalText.Escape(e.Detail)})")}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
