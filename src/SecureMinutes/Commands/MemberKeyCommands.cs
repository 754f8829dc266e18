using System.CommandLine;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Commands;

/// <summary><c>member import</c> (a whole assembly at once) and <c>member verify</c> (a fingerprint confirmed out of band).</summary>
public static class MemberKeyCommands
{
    public static Command Import()
    {
        var list = new Argument<string>("LIST");
        var file = new Argument<FileInfo>("FILE") { Description = "A keyring (armored or binary, many keys: one member per key's primary user id address), or a CSV of email,keyfile[,fingerprint]" };
        var csv = new Option<bool>("--csv") { Description = "FILE is a CSV mapping (implied by a .csv name)" };
        var allowMismatch = new Option<bool>("--allow-uid-mismatch") { Description = "CSV: accept keys whose user ids do not name the address given for them" };
        var allowOutside = new Option<bool>("--allow-outside-paths") { Description = "CSV: accept key files outside the CSV's folder (only for a CSV you wrote yourself)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be imported; store nothing" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("import", "Add many members at once, one per key, and print a line per key: added, updated, unchanged or refused with the reason")
        {
            list, file, csv, allowMismatch, allowOutside, dryRun, json,
        };
        command.SetHandler(async (ParseResult parse, BulkImport import, CliConsole console, CancellationToken cancellationToken) =>
        {
            var path = parse.GetValue(file)!.FullName;
            var options = new BulkImportOptions(Actor.Of(parse), parse.GetValue(allowMismatch), parse.GetValue(dryRun), parse.GetValue(allowOutside));
            var result = parse.GetValue(csv) || path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? await import.ImportCsvAsync(parse.GetValue(list)!, path, options, cancellationToken)
                : await import.ImportKeyringAsync(parse.GetValue(list)!, KeyFileReader.ReadBytes(path), Path.GetFileName(path), options, cancellationToken);
            await ImportPrinter.PrintAsync(console, result, parse.GetValue(json));
            return result.Refused > 0 ? ExitCodes.NeedsAttention : ExitCodes.Success;
        });
        return command;
    }

    public static Command Verify()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var fingerprint = new Option<string>("--fingerprint")
        {
            Description = "The full fingerprint (40 hex digits, spaces allowed) the member read out to you from their own device",
            Required = true,
        };
        var command = new Command("verify", "Record that you confirmed a member's key fingerprint with them out of band (it must match the pinned key exactly)")
        {
            list, email, fingerprint,
        };
        command.SetHandler(async (ParseResult parse, MemberVerification verification, Redistribution redistribution, CliConsole console, CancellationToken cancellationToken) =>
        {
            var (member, changed) = await verification.VerifyAsync(parse.GetValue(list)!, parse.GetValue(email)!, parse.GetValue(fingerprint)!,
                Actor.Of(parse), cancellationToken);
            if (changed)
            {
                // On a list that requires verified keys, what this member was skipped for goes out now.
                redistribution.Queue(member.Id);
            }

            await console.Out.WriteLineAsync(changed
                ? $"Verified {member.Email}: {member.Fingerprint.Grouped}"
                : $"{member.Email} was already verified ({member.Fingerprint.Grouped}, by {member.VerifiedBy})");
            return ExitCodes.Success;
        });
        return command;
    }
}
