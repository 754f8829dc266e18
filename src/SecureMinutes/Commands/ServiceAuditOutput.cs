using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

/// <summary><c>audit</c> without a list: the list-less audit lines (<see cref="ServiceAuditStore"/>), as text or JSON.</summary>
internal static class ServiceAuditOutput
{
    /// <summary>Writes every line, oldest first; returns the exit code.</summary>
    /// <exception cref="UserFacingException"><c>--member</c> was given: members belong to a list.</exception>
    public static async Task<int> WriteAsync(ServiceAuditStore store, bool memberGiven, bool json, CliConsole console, CancellationToken cancellationToken)
    {
        if (memberGiven)
        {
            throw new UserFacingException("--member needs a LIST: audit LIST --member ADDRESS");
        }

        var entries = await store.ListAsync(cancellationToken);
        if (json)
        {
            await Json.WriteAsync(console.Out, entries.Select(e => new
            {
                at = e.At.ToString("O", CultureInfo.InvariantCulture),
                by = e.Actor,
                action = e.Action,
                list = e.ListName,
                detail = e.Detail,
            }));
            return ExitCodes.Success;
        }

        if (entries.Count == 0)
        {
            await console.Out.WriteLineAsync("No list-less audit lines (no list deleted) yet.");
            return ExitCodes.Success;
        }

        foreach (var e in entries)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{e.At:yyyy-MM-dd HH:mm:ss}Z  {TerminalText.Escape(e.Actor)}  {e.Action} {TerminalText.Escape(e.ListName)}{(e.Detail is null ? "" : $"  ({TerminalText.Escape(e.Detail)})")}"));
        }

        return ExitCodes.Success;
    }
}
