using System.CommandLine;
using System.Globalization;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

/// <summary><c>keys check</c> (the keyring's health) and <c>keys refresh</c> (from keyservers and WKD, over the list's proxy).</summary>
public static class KeysCommands
{
    public static Command Build()
    {
        var keys = new Command("keys", "Check and refresh the keys of a list's members");
        keys.Subcommands.Add(Check());
        keys.Subcommands.Add(Refresh());
        return keys;
    }

    private static Command Check()
    {
        var list = new Argument<string>("LIST");
        var days = new Option<int>("--days") { Description = "Count keys expiring within this many days as expiring", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("check", "Show each member's key health (usable, expiring, expired, revoked, missing; verified or not); exit 4 if anyone cannot receive mail")
        {
            list, days, json,
        };
        command.SetHandler(async (ParseResult parse, ListService lists, Membership membership, CliConsole console, CancellationToken cancellationToken) =>
        {
            var within = parse.GetValue(days);
            if (within is < 0 or > 3650)
            {
                throw new UserFacingException("--days must be from 0 to 3650");
            }

            var mailingList = await lists.GetAsync(parse.GetValue(list)!, cancellationToken);
            var health = KeyringHealth.Check(mailingList, await lists.KeyStateAsync(mailingList, cancellationToken),
                await membership.ListAsync(mailingList, cancellationToken), DateTimeOffset.UtcNow, within);
            await KeyHealthPrinter.PrintAsync(console, health, parse.GetValue(json));
            return health.AllCanReceive ? ExitCodes.Success : ExitCodes.NeedsAttention;
        });
        return command;
    }

    private static Command Refresh()
    {
        var list = new Argument<string>("LIST");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("refresh", "Fetch members' keys from keyservers (by fingerprint) and WKD (by address) through the list's SOCKS5 proxy; merge updates of the same key, report different ones")
        {
            list, json,
        };
        command.SetHandler(async (ParseResult parse, ListService listService, KeyRefresh refresh, CliConsole console, CancellationToken cancellationToken) =>
        {
            var mailingList = await listService.GetAsync(parse.GetValue(list)!, cancellationToken);
            var report = await refresh.RefreshAsync(mailingList, Actor.Of(parse), cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, new
                {
                    list = mailingList.Name,
                    route = report.Route,
                    members = report.Members.Select(m => new
                    {
                        email = m.Member.Email,
                        fingerprint = m.Member.Fingerprint.Hex,
                        status = m.After.Status.ToString(),
                        result = m.Result,
                        updated = m.Updated,
                        changes = m.Changes,
                        otherKeys = m.OtherKeys.Select(k => k.Hex),
                        sources = m.Sources.Select(s => s.Describe()),
                    }),
                });
            }
            else
            {
                await console.Out.WriteLineAsync($"Refreshed {report.Members.Count} keys of {mailingList.Name} {report.Route}.");
                var width = Math.Max(5, report.Members.Select(m => m.Member.Email.Length).DefaultIfEmpty(5).Max());
                foreach (var member in report.Members)
                {
                    await console.Out.WriteLineAsync($"{member.Member.Email.PadRight(width)}  {member.Result}");
                    foreach (var source in member.Sources.Where(s => s.Failure is not null))
                    {
                        await console.Out.WriteLineAsync($"{"".PadRight(width)}    {source.Describe()}");
                    }
                }

                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{report.Members.Count(m => m.Updated)} updated, {report.Members.Count(m => m.OtherKeys.Count > 0)} with a different key online (not adopted), {report.Members.Count(m => m.AllFailed)} unreachable."));
            }

            return report.Members.Any(m => m.OtherKeys.Count > 0 || m.LostUsability) ? ExitCodes.NeedsAttention : ExitCodes.Success;
        });
        return command;
    }
}
