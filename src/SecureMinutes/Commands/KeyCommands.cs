using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Keys;

namespace SecureMinutes.Commands;

/// <summary><c>key show FILE</c>: what a key file (or a saved mail carrying keys) holds, before importing anything.</summary>
public static class KeyCommands
{
    public static Command Build()
    {
        var key = new Command("key", "Inspect OpenPGP keys before importing them");
        key.Subcommands.Add(Show());
        return key;
    }

    private static Command Show()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A key file (armored or binary, one or many keys) or a saved mail (.eml) carrying a key" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("show", "Show each key's fingerprint, user ids, algorithms, dates, and which subkeys mail would be encrypted to (and why not the others)")
        {
            file, json,
        };
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var found = KeyFileReader.ReadFile(parse.GetValue(file)!.FullName);
            var now = DateTimeOffset.UtcNow;
            await KeyInspectionPrinter.PrintAsync(CliConsole.System().Out, found.Select(f => KeyInspection.Of(f, now)).ToList(), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }
}
