using System.CommandLine;
using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Minutes.Preparation;

namespace SecureMinutes.Commands;

/// <summary><c>secureminutes prepare LIST</c>: the AG's minutes pad (or draft) made from the list's template; the work is <see cref="AgPreparation"/>'s.</summary>
public static class PrepareCommand
{
    public static Command Build()
    {
        var list = new Argument<string>("LIST");
        var date = new Option<string?>("--date") { Description = "The AG's date, e.g. 2026-12-12 (default: today)" };
        var title = new Option<string?>("--title") { Description = "The minutes' title (default: \"AG du samedi 12 décembre 2026\", or \"General assembly, …\" for an English list)" };
        var padServer = new Option<string?>("--pad-server") { Description = "Create the pad on this Etherpad, e.g. https://pad.example.org (without it: a Markdown draft file)" };
        var apiKeyEnv = new Option<string?>("--pad-api-key-env") { Description = "The environment variable holding that Etherpad's API key (APIKEY.txt); read now, never stored" };
        var template = new Option<FileInfo?>("--template") { Description = "Start from this file instead of the list's template ({{title}} and {{date}} are filled in)" };
        var output = new Option<FileInfo?>("--output") { Description = "Without --pad-server: the draft file to write (default: LIST-DATE.md in this folder; never overwritten)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("prepare", "Prepare an AG: a minutes pad (or a Markdown draft) from the list's template, with roles, decision rule, agenda and vote lines")
        {
            list, date, title, padServer, apiKeyEnv, template, output, json,
        };
        command.SetHandler(async (ParseResult parse, AgPreparation preparation, CliConsole console, CancellationToken cancellationToken) =>
        {
            var listName = parse.GetValue(list)!;
            var day = parse.GetValue(date) is { } given ? ParseDate(given) : DateOnly.FromDateTime(DateTime.Now);
            var server = parse.GetValue(padServer);
            if (server is not null && parse.GetValue(output) is not null)
            {
                throw new UserFacingException("--output is where a draft goes: with --pad-server the minutes are written in the pad");
            }

            var draft = server is null ? parse.GetValue(output)?.FullName ?? Path.GetFullPath(AgPreparation.DraftFileName(listName, day)) : null;
            var prepared = await preparation.PrepareAsync(listName,
                new AgRequest(day, parse.GetValue(title), server, parse.GetValue(apiKeyEnv), parse.GetValue(template)?.FullName, draft), cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, new { list = listName, date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), pad = prepared.PadUrl, readOnly = prepared.ReadOnlyUrl, draft = prepared.DraftPath });
            }
            else if (prepared.PadUrl is not null)
            {
                await console.Out.WriteLineAsync(FormattableString.Invariant($"The pad for the AG of {day:yyyy-MM-dd} is ready."));
                await console.Out.WriteLineAsync($"  note-takers write here:  {prepared.PadUrl}");
                await console.Out.WriteLineAsync($"  read-only, to share:     {prepared.ReadOnlyUrl}");
                await console.Out.WriteLineAsync($"Its address is saved (sealed) on {listName}: send it with `secureminutes submit {listName} --prepared` (add --at 22:00 to read it then).");
            }
            else
            {
                await console.Out.WriteLineAsync($"Wrote the AG draft to {prepared.DraftPath}: fill it in, then send it with `secureminutes submit {listName} --file {prepared.DraftPath}`.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UserFacingException($"--date '{text}' is not a date (e.g. 2026-12-12)");
}
