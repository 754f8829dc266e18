using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Retention;

namespace SecureMinutes.Commands;

/// <summary>Shredding minutes by hand (<c>purge</c>) and deleting a whole list (<c>list delete</c>): issue 17's retention.</summary>
public static class RetentionCommands
{
    public static Command Purge()
    {
        var name = new Argument<string>("LIST");
        var before = new Option<string?>("--before") { Description = "Shred what was submitted before this date (yyyy-MM-dd, UTC)" };
        var all = new Option<bool>("--all") { Description = "Shred every submission of the list" };
        var command = new Command("purge",
            "Shred a list's minutes now: their keys and content are destroyed (copies not yet sent are cancelled); ids, dates and delivery states stay")
        {
            name, before, all,
        };
        command.SetHandler(async (ParseResult parse, Shredding shredding, CliConsole console, CancellationToken cancellationToken) =>
        {
            var cutoff = (parse.GetValue(before), parse.GetValue(all)) switch
            {
                (null, false) => throw new UserFacingException("give --before DATE or --all"),
                ({ }, true) => throw new UserFacingException("give --before DATE or --all, not both"),
                ({ } date, false) => RetentionPeriod.ParseBefore(date),
                _ => (DateTimeOffset?)null,
            };
            var listName = parse.GetValue(name)!;
            var count = await shredding.PurgeAsync(listName, cutoff, Actor.Of(parse), cancellationToken);
            var scope = cutoff is { } at ? $"submitted before {at:yyyy-MM-dd HH:mm} UTC" : "of the list";
            await console.Out.WriteLineAsync($"{listName}: {count} submission(s) {scope} shredded (their ids, dates and delivery states are kept)");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Delete()
    {
        var name = new Argument<string>("LIST");
        var yes = new Option<bool>("--yes") { Description = "Confirm: the list's keys, minutes and members are destroyed, which cannot be undone" };
        var command = new Command("delete", "Delete a list and everything of it: its secret keys, minutes, members, settings and history") { name, yes };
        command.SetHandler(async (ParseResult parse, ListDeletion deletion, CliConsole console, CancellationToken cancellationToken) =>
        {
            var listName = parse.GetValue(name)!;
            if (!parse.GetValue(yes))
            {
                throw new UserFacingException($"deleting {listName} destroys its keys, minutes and members for good: add --yes to confirm");
            }

            await deletion.DeleteAsync(listName, Actor.Of(parse), cancellationToken);
            await console.Out.WriteLineAsync($"{listName}: deleted, with its keys, minutes, members and history");
            return ExitCodes.Success;
        });
        return command;
    }
}
