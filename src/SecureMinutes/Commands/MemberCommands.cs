using System.CommandLine;
using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Commands;

public static class MemberCommands
{
    public static Command Build()
    {
        var member = new Command("member", "Add, list and remove the members of a list");
        member.Subcommands.Add(Add());
        member.Subcommands.Add(ListMembers());
        member.Subcommands.Add(Remove());
        return member;
    }

    private static Command Add()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var key = new Option<FileInfo>("--key") { Description = "The member's public key, armored or binary", Required = true };
        var allowMismatch = new Option<bool>("--allow-uid-mismatch") { Description = "Accept a key whose user ids do not name EMAIL" };
        var admin = new Option<bool>("--admin") { Description = "This member administers the list (gets its notices)" };
        var command = new Command("add", "Add a member with their public key (refused, with the reason, if mail could not be encrypted to it)")
        {
            list, email, key, allowMismatch, admin,
        };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var file = parse.GetValue(key)!;
            byte[] data;
            try
            {
                data = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserFacingException($"{file.FullName} cannot be read ({ex.Message.TrimEnd('.')})");
            }

            var added = await context.Get<Membership>().AddAsync(parse.GetValue(list)!, parse.GetValue(email)!, data, file.Name,
                new MemberOptions(parse.GetValue(allowMismatch), parse.GetValue(admin)), cancellationToken);
            await context.Out.WriteLineAsync($"Added {added.Member.Email}{(added.Member.IsAdmin ? " (admin)" : "")}");
            await context.Out.WriteLineAsync($"Fingerprint: {added.Key.Fingerprint.Grouped}");
            foreach (var subkey in added.Key.Subkeys.Where(s => s.IsUsableForEncryption))
            {
                await context.Out.WriteLineAsync($"Encrypts to: {subkey.Describe()}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListMembers()
    {
        var list = new Argument<string>("LIST");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("list", "Show members, their key fingerprints and whether mail can be encrypted to them") { list, json };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var members = await context.Get<Membership>().ListAsync(parse.GetValue(list)!, cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(context.Out, members.Select(m => new
                {
                    email = m.Member.Email,
                    fingerprint = m.Key.Fingerprint.Hex,
                    status = m.Key.Status.ToText(),
                    expires = m.Key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    admin = m.Member.IsAdmin,
                    problem = m.Key.Problem,
                }));
                return ExitCodes.Success;
            }

            if (members.Count == 0)
            {
                await context.Out.WriteLineAsync("No members yet.");
                return ExitCodes.Success;
            }

            var width = Math.Max(5, members.Max(m => m.Member.Email.Length));
            await context.Out.WriteLineAsync($"{"EMAIL".PadRight(width)}  {"FINGERPRINT",-40}  {"STATUS",-17}  EXPIRES");
            foreach (var m in members)
            {
                var expires = m.Key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never";
                var admin = m.Member.IsAdmin ? "  (admin)" : "";
                await context.Out.WriteLineAsync($"{m.Member.Email.PadRight(width)}  {m.Key.Fingerprint.Hex,-40}  {m.Key.Status.ToText(),-17}  {expires}{admin}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var command = new Command("remove", "Remove a member (their key is deleted too)") { list, email };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            await context.Get<Membership>().RemoveAsync(parse.GetValue(list)!, parse.GetValue(email)!, cancellationToken);
            await context.Out.WriteLineAsync($"Removed {parse.GetValue(email)} from {parse.GetValue(list)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
