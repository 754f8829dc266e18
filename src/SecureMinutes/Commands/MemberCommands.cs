using System.CommandLine;
using System.Globalization;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

public static class MemberCommands
{
    public static Command Build()
    {
        var member = new Command("member", "Add, import, verify, list and remove the members of a list");
        member.Subcommands.Add(Add());
        member.Subcommands.Add(MemberKeyCommands.Import());
        member.Subcommands.Add(MemberKeyCommands.Verify());
        member.Subcommands.Add(ListMembers());
        member.Subcommands.Add(Remove());
        member.Subcommands.Add(Set());
        return member;
    }

    private static Command Add()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var key = new Option<FileInfo>("--key") { Description = "The member's public key: a key file (armored or binary) or the mail they sent it in (.eml)", Required = true };
        var allowMismatch = new Option<bool>("--allow-uid-mismatch") { Description = "Accept a key whose user ids do not name EMAIL" };
        var admin = new Option<bool>("--admin") { Description = "This member administers the list (gets its notices)" };
        var noteTaker = new Option<bool>("--note-taker") { Description = "This member may send minutes to the list by signed, encrypted mail (mail-in)" };
        var replace = new Option<bool>("--replace") { Description = "The member exists: pin them to this DIFFERENT key (logged; a newer copy of their own key needs no flag)" };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "The fingerprint the member confirmed to you out of band: the key must have it, and is recorded as verified" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the key and what would happen; store nothing" };
        var command = new Command("add", "Add a member with their public key (refused, with the reason, if mail could not be encrypted to it)")
        {
            list, email, key, allowMismatch, admin, noteTaker, replace, fingerprint, dryRun,
        };
        command.SetHandler(async (ParseResult parse, Membership membership, Redistribution redistribution, ListStore lists, CliConsole console, CancellationToken cancellationToken) =>
        {
            var file = parse.GetValue(key)!;
            var data = KeyFileReader.ReadBytes(file.FullName);
            var memberOptions = new MemberOptions(parse.GetValue(allowMismatch), parse.GetValue(admin), parse.GetValue(replace),
                parse.GetValue(fingerprint) is { } confirmed ? new Fingerprint(confirmed) : null, Actor.Of(parse), parse.GetValue(noteTaker));
            var (listName, address) = (parse.GetValue(list)!, parse.GetValue(email)!);
            if (parse.GetValue(dryRun))
            {
                var now = DateTimeOffset.UtcNow;
                await KeyInspectionPrinter.PrintAsync(console.Out, KeyFileReader.Read(data, file.Name).Select(f => KeyInspection.Of(f, now)).ToList(), json: false);
                var preview = await membership.PreviewAsync(listName, address, data, file.Name, memberOptions, cancellationToken);
                await console.Out.WriteLineAsync();
                await console.Out.WriteLineAsync($"Dry run, nothing stored: {Describe(preview, would: true)}");
                return ExitCodes.Success;
            }

            var imported = await membership.AddAsync(listName, address, data, file.Name, memberOptions, cancellationToken);
            if (imported.Outcome != KeyImportOutcome.Unchanged)
            {
                // Late joiners get the latest minutes; a fixed key gets what was skipped (when a server runs).
                redistribution.Queue(imported.Member.Id);
            }

            await console.Out.WriteLineAsync(Describe(imported, would: false));
            await console.Out.WriteLineAsync($"Fingerprint: {imported.Key.Fingerprint.Grouped}");
            foreach (var subkey in imported.Key.Subkeys.Where(s => s.IsUsableForEncryption))
            {
                await console.Out.WriteLineAsync($"Encrypts to: {subkey.Describe()}");
            }

            if (!imported.Key.Status.CanReceive())
            {
                await console.Error.WriteLineAsync($"warning: {imported.Member.Email} cannot be sent mail any more: {TerminalText.Escape(imported.Key.Problem)}");
            }
            else if ((await lists.GetAsync(listName, cancellationToken)).RequireVerified && !imported.Member.IsVerified)
            {
                await console.Error.WriteLineAsync($"note: {listName} requires verified keys: {imported.Member.Email} receives nothing until you confirm the fingerprint with them and run secureminutes member verify {listName} {imported.Member.Email} --fingerprint FPR");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(KeyImport import, bool would)
    {
        var email = import.Member.Email;
        var admin = Roles(import.Member);
        var verified = import.Member.IsVerified ? ", fingerprint verified" : "";
        return import.Outcome switch
        {
            KeyImportOutcome.Added => $"{(would ? "would add" : "Added")} {email}{admin}{verified}",
            KeyImportOutcome.Merged => $"{(would ? "would update" : "Updated")} the key of {email} (same key, newer copy merged): {TerminalText.Escape(string.Join("; ", import.Changes))}",
            KeyImportOutcome.Unchanged => $"{email} is already a member with this key; nothing new in it",
            _ => $"{(would ? "would replace" : "Replaced")} the key of {email}: {import.Previous?.Hex} -> {import.Key.Fingerprint.Hex}{verified} (logged)",
        };
    }

    private static Command ListMembers()
    {
        var list = new Argument<string>("LIST");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("list", "Show members, their key fingerprints and whether mail can be encrypted to them") { list, json };
        command.SetHandler(async (ParseResult parse, Membership membership, CliConsole console, CancellationToken cancellationToken) =>
        {
            var members = await membership.ListAsync(parse.GetValue(list)!, cancellationToken);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, members.Select(m => new
                {
                    email = m.Member.Email,
                    fingerprint = m.Member.Fingerprint.Hex,
                    status = m.Key.Status.ToText(),
                    expires = m.Key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    admin = m.Member.IsAdmin,
                    noteTaker = m.Member.IsNoteTaker,
                    verified = m.Member.IsVerified,
                    problem = m.Key.Problem,
                }));
                return ExitCodes.Success;
            }

            if (members.Count == 0)
            {
                await console.Out.WriteLineAsync("No members yet.");
                return ExitCodes.Success;
            }

            var width = Math.Max(5, members.Max(m => m.Member.Email.Length));
            await console.WriteBlockAsync(async output =>
            {
                await output.WriteLineAsync($"{"EMAIL".PadRight(width)}  {"FINGERPRINT",-40}  {"STATUS",-17}  {"EXPIRES",-10}  VERIFIED");
                foreach (var m in members)
                {
                    var expires = m.Key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never";
                    var admin = Roles(m.Member);
                    await output.WriteLineAsync($"{m.Member.Email.PadRight(width)}  {m.Member.Fingerprint.Hex,-40}  {m.Key.Status.ToText(),-17}  {expires,-10}  {(m.Member.IsVerified ? "yes" : "no"),-8}{admin}");
                }
            });

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Set()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var admin = new Option<bool>("--admin") { Description = "Make this member an admin (gets notices about failed copies and paused sending)" };
        var noAdmin = new Option<bool>("--no-admin") { Description = "No longer an admin" };
        var digest = new Option<bool>("--digest") { Description = "Also receive the list's periodic digest" };
        var noDigest = new Option<bool>("--no-digest") { Description = "No digest" };
        var noteTaker = new Option<bool>("--note-taker") { Description = "May send minutes to the list by signed, encrypted mail (mail-in)" };
        var noNoteTaker = new Option<bool>("--no-note-taker") { Description = "No longer a note-taker" };
        var command = new Command("set", "Change a member's role and preferences") { list, email, admin, noAdmin, digest, noDigest, noteTaker, noNoteTaker };
        command.SetHandler(async (ParseResult parse, Membership membership, CliConsole console, CancellationToken cancellationToken) =>
        {
            var isAdmin = Toggle(parse.GetValue(admin), parse.GetValue(noAdmin), "--admin");
            var wantsDigest = Toggle(parse.GetValue(digest), parse.GetValue(noDigest), "--digest");
            var isNoteTaker = Toggle(parse.GetValue(noteTaker), parse.GetValue(noNoteTaker), "--note-taker");
            if (isAdmin is null && wantsDigest is null && isNoteTaker is null)
            {
                throw new UserFacingException("nothing to change: give --admin/--no-admin, --digest/--no-digest and/or --note-taker/--no-note-taker");
            }

            await membership.SetFlagsAsync(parse.GetValue(list)!, parse.GetValue(email)!, isAdmin, wantsDigest, isNoteTaker, cancellationToken);
            await console.Out.WriteLineAsync($"Updated {parse.GetValue(email)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Roles(Lists.Member member) => Roles(member.IsAdmin, member.IsNoteTaker);

    private static string Roles(Lists.MemberEntry member) => Roles(member.IsAdmin, member.IsNoteTaker);

    private static string Roles(bool isAdmin, bool isNoteTaker) => string.Concat(isAdmin ? "  (admin)" : "", isNoteTaker ? "  (note-taker)" : "");

    private static bool? Toggle(bool on, bool off, string name) => (on, off) switch
    {
        (true, true) => throw new UserFacingException($"give {name} or --no-{name[2..]}, not both"),
        (true, false) => true,
        (false, true) => false,
        _ => null,
    };

    private static Command Remove()
    {
        var list = new Argument<string>("LIST");
        var email = new Argument<string>("EMAIL");
        var command = new Command("remove", "Remove a member (their key is deleted too)") { list, email };
        command.SetHandler(async (ParseResult parse, Membership membership, CliConsole console, CancellationToken cancellationToken) =>
        {
            await membership.RemoveAsync(parse.GetValue(list)!, parse.GetValue(email)!, Actor.Of(parse), cancellationToken);
            await console.Out.WriteLineAsync($"Removed {parse.GetValue(email)} from {parse.GetValue(list)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
