using System.CommandLine;
using System.Globalization;
using SecureMinutes.Cli;
using SecureMinutes.Joining;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>invite create|list|revoke</c>: links people open (on a phone, from a QR code at the AG) to join a list themselves,
/// proving their key by a challenge encrypted to it (<see cref="JoinRequests"/>).
/// </summary>
public static class InviteCommands
{
    public static Command Build()
    {
        var command = new Command("invite", "Links for people to join a list themselves, proving their key (the web app's /join pages)");
        command.Subcommands.Add(Create());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Create()
    {
        var list = new Argument<string>("LIST");
        var expires = new Option<string>("--expires") { Description = "How long the link works: 90m, 12h, 2d, 1w (default 2d)", DefaultValueFactory = _ => "2d" };
        var uses = new Option<int>("--uses") { Description = "How many people may join with it (default 300)", DefaultValueFactory = _ => JoinInvites.DefaultUses };
        var approve = new Option<bool>("--approve") { Description = "Each proven request waits for a list admin (web: the list's Invites page)" };
        var command = new Command("create", "Make an invite link (its QR code is on the list's Invites page of the web app)") { list, expires, uses, approve };
        command.SetHandler(async (ParseResult parse, JoinInvites invites, CliConsole console, CancellationToken cancellationToken) =>
        {
            var lifetime = InviteLifetime.Parse(parse.GetValue(expires)!);
            var created = await invites.CreateAsync(parse.GetValue(list)!, lifetime, parse.GetValue(uses), parse.GetValue(approve), Actor.Of(parse), cancellationToken);
            await console.Out.WriteLineAsync(created.Link.ToString());
            await console.Error.WriteLineAsync(FormattableString.Invariant(
                $"Invite #{created.Invite.Id}: works until {created.Invite.ExpiresAt:yyyy-MM-dd HH:mm} UTC for {created.Invite.MaxUses} member(s){(created.Invite.NeedsApproval ? ", each approved by a list admin" : "")}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var list = new Argument<string>("LIST");
        var command = new Command("list", "The list's invites: number, state, uses, expiry") { list };
        command.SetHandler(async (ParseResult parse, JoinInvites invites, TimeProvider time, CliConsole console, CancellationToken cancellationToken) =>
        {
            var (_, found) = await invites.ListAsync(parse.GetValue(list)!, cancellationToken);
            var now = time.GetUtcNow();
            foreach (var invite in found)
            {
                var state = invite.RevokedAt is not null ? "revoked" : invite.ExpiresAt <= now ? "expired" : invite.Uses >= invite.MaxUses ? "used up" : "open";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"#{invite.Id}  {state}  {invite.Uses}/{invite.MaxUses} used  until {invite.ExpiresAt:yyyy-MM-dd HH:mm} UTC{(invite.NeedsApproval ? "  each approved by an admin" : "")}  by {invite.CreatedBy}"));
            }

            if (found.Count == 0)
            {
                await console.Error.WriteLineAsync($"No invites yet: secureminutes invite create {parse.GetValue(list)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var list = new Argument<string>("LIST");
        var id = new Argument<long>("INVITE") { Description = "The invite's number (see: invite list)" };
        var command = new Command("revoke", "Stop an invite link at once (requests already proven stay)") { list, id };
        command.SetHandler(async (ParseResult parse, JoinInvites invites, CliConsole console, CancellationToken cancellationToken) =>
        {
            await invites.RevokeAsync(parse.GetValue(list)!, parse.GetValue(id), Actor.Of(parse), cancellationToken);
            await console.Out.WriteLineAsync($"Invite #{parse.GetValue(id)} revoked.");
            return ExitCodes.Success;
        });
        return command;
    }
}
