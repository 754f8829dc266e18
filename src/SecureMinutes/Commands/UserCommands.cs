using System.CommandLine;
using System.Globalization;
using System.Text;
using SecureMinutes.Accounts;
using SecureMinutes.Cli;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>user add|grant|revoke|list|remove|invite</c>: the web app's accounts. Passwords are read from
/// <c>SECUREMINUTES_USER_PASSWORD</c> or typed at a prompt without echo, never taken as an argument (it would
/// stay in the shell history and be visible in the process list).
/// </summary>
public static class UserCommands
{
    public const string PasswordVariable = "SECUREMINUTES_USER_PASSWORD";

    public static Command Build()
    {
        var command = new Command("user", "Accounts of the web app: installation admins, list admins and note-takers");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Grant());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Invite());
        return command;
    }

    private static Command Add()
    {
        var email = new Argument<string>("EMAIL");
        var admin = new Option<bool>("--admin") { Description = "An installation admin: sees every list and the jobs dashboard (/jobs)" };
        var command = new Command("add", $"Add an account with a password (from ${PasswordVariable}, or typed at a prompt)") { email, admin };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, PublicLinks links, CliConsole console, CancellationToken cancellationToken) =>
        {
            var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
                : console.Interactive && !Console.IsInputRedirected ? Prompt(console, "Password (12 characters or more; a sentence is good): ")
                : throw new UserFacingException($"no password: set {PasswordVariable}, run this in a terminal, or send an invitation link with: secureminutes user invite EMAIL");
            var account = await accounts.AddAsync(parse.GetValue(email)!, password, parse.GetValue(admin), cancellationToken);
            await console.Out.WriteLineAsync($"Added {account.Email}{(account.IsInstallationAdmin ? " (installation admin)" : "")}.");
            await SignInHintAsync(console, links);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Grant()
    {
        var email = new Argument<string>("EMAIL");
        var list = new Argument<string>("LIST");
        var role = new Option<string>("--role") { Description = "admin (members, keys, settings; sending too) or note-taker (sending minutes, following deliveries)", Required = true };
        var command = new Command("grant", "Give an account a role on a list (replaces the role it held there)") { email, list, role };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, CliConsole console, CancellationToken cancellationToken) =>
        {
            var chosen = ListRoles.Parse(parse.GetValue(role)!);
            await accounts.GrantAsync(parse.GetValue(email)!, parse.GetValue(list)!, chosen, cancellationToken);
            await console.Out.WriteLineAsync($"{parse.GetValue(email)} is now {chosen.ToText()} of {parse.GetValue(list)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var email = new Argument<string>("EMAIL");
        var list = new Argument<string>("LIST");
        var command = new Command("revoke", "Take an account's role on a list away") { email, list };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, CliConsole console, CancellationToken cancellationToken) =>
        {
            await accounts.RevokeAsync(parse.GetValue(email)!, parse.GetValue(list)!, cancellationToken);
            await console.Out.WriteLineAsync($"{parse.GetValue(email)} has no role on {parse.GetValue(list)} any more.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("list", "Accounts, their roles per list, and how they sign in") { json };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, CliConsole console, CancellationToken cancellationToken) =>
        {
            var all = await accounts.ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, all.Select(a => new
                {
                    email = a.Account.Email, installationAdmin = a.Account.IsInstallationAdmin, password = a.Account.PasswordHash is not null,
                    passkeys = a.Passkeys, totp = a.Account.TwoFactorEnabled, roles = a.Roles.Select(r => new { list = r.List, role = r.Role.ToText() }),
                }));
                return ExitCodes.Success;
            }

            if (all.Count == 0)
            {
                await console.Out.WriteLineAsync("No accounts yet: secureminutes user add EMAIL --admin");
            }

            foreach (var summary in all)
            {
                var account = summary.Account;
                var signIn = new List<string>();
                if (account.PasswordHash is not null)
                {
                    signIn.Add(account.TwoFactorEnabled ? "password + TOTP" : "password");
                }

                if (summary.Passkeys > 0)
                {
                    signIn.Add(string.Create(CultureInfo.InvariantCulture, $"{summary.Passkeys} passkey(s)"));
                }

                var roles = account.IsInstallationAdmin ? "installation admin (every list)"
                    : summary.Roles.Count == 0 ? "no list" : string.Join(", ", summary.Roles.Select(r => $"{r.List}: {r.Role.ToText()}"));
                var locked = account.LockoutEnd > DateTimeOffset.UtcNow ? "  [locked out]" : "";
                await console.Out.WriteLineAsync($"{account.Email}  {roles}  [{(signIn.Count == 0 ? "not signed up yet: user invite" : string.Join(", ", signIn))}]{locked}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var email = new Argument<string>("EMAIL");
        var command = new Command("remove", "Delete an account (its sessions end within minutes)") { email };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, CliConsole console, CancellationToken cancellationToken) =>
        {
            await accounts.RemoveAsync(parse.GetValue(email)!, cancellationToken);
            await console.Out.WriteLineAsync($"Removed {parse.GetValue(email)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Invite()
    {
        var email = new Argument<string>("EMAIL");
        var command = new Command("invite", "Print a one-time link (7 days) to set a password or a passkey; makes the account if needed") { email };
        command.SetHandler(async (ParseResult parse, AccountAdministration accounts, CliConsole console, CancellationToken cancellationToken) =>
        {
            var (account, link, expires) = await accounts.InviteAsync(parse.GetValue(email)!, cancellationToken);
            await console.Out.WriteLineAsync(link.AbsoluteUri);
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Give this link to {account.Email} yourself (it opens the account): it works once, until {expires:yyyy-MM-dd HH:mm} UTC. Earlier links no longer work."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task SignInHintAsync(CliConsole console, PublicLinks links)
    {
        try
        {
            await console.Error.WriteLineAsync($"Sign in at {links.To("/login").AbsoluteUri}");
        }
        catch (UserFacingException)
        {
            await console.Error.WriteLineAsync("Sign in on the page secureminutes serve shows (set --public-url or SECUREMINUTES_PUBLIC_URL to have the address printed).");
        }
    }

    /// <summary>Reads a line from the terminal without showing it.</summary>
    private static string Prompt(CliConsole console, string label)
    {
        console.Error.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
