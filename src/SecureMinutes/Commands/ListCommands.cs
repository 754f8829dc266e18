using System.CommandLine;
using System.Globalization;
using Hangfire;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;
using SecureMinutes.Lists;
using SecureMinutes.Minutes.Preparation;
using SecureMinutes.Retention;
using SecureMinutes.Secrets;

namespace SecureMinutes.Commands;

public static class ListCommands
{
    public static Command Build()
    {
        var list = new Command("list", "Create lists and export their keys");
        list.Subcommands.Add(Create());
        list.Subcommands.Add(Show());
        list.Subcommands.Add(Key());
        list.Subcommands.Add(Set());
        list.Subcommands.Add(Resume());
        list.Subcommands.Add(Digest());
        list.Subcommands.Add(RetentionCommands.Delete());
        return list;
    }

    private static Command Create()
    {
        var name = new Argument<string>("LIST") { Description = "Short name admins type, e.g. ag-2026" };
        var address = new Option<string>("--address") { Description = "The list's e-mail address (mail comes From it)", Required = true };
        var displayName = new Option<string?>("--name") { Description = "Display name, e.g. \"AG du collectif\" (default: the list name)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("create", "Create a list and generate its OpenPGP key (Ed25519 + Cv25519)") { name, address, displayName, json };
        command.SetHandler(async (ParseResult parse, ListService listService, Vault vault, SecureMinutesOptions options, CliConsole console, CancellationToken cancellationToken) =>
        {
            var created = await listService.CreateAsync(parse.GetValue(name)!, parse.GetValue(address)!, parse.GetValue(displayName), cancellationToken);
            var protection = vault.Describe();
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, new { list = created.Name, address = created.Address, name = created.DisplayName, fingerprint = created.KeyFingerprint.Hex, secretKey = protection });
            }
            else
            {
                await console.Out.WriteLineAsync($"Created list {created.Name}: {created.DisplayName} <{created.Address}>");
                await console.Out.WriteLineAsync($"Fingerprint: {created.KeyFingerprint.Grouped}");
                await console.Out.WriteLineAsync($"Its secret key is sealed in {options.DataDirectory}, {protection}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Set()
    {
        var name = new Argument<string>("LIST");
        var rate = new Option<string?>("--rate") { Description = "Messages per minute across all workers, as the provider allows (or 'off')" };
        var dailyCap = new Option<string?>("--daily-cap") { Description = "Messages per UTC day (or 'off')" };
        var redistribute = new Option<int?>("--redistribute-last") { Description = "How many of the latest minutes a member who joins later receives (0: none)" };
        var digest = new Option<string?>("--digest") { Description = "Digest for members who opted in: weekly (Mondays 08:00 UTC), daily, off, or a cron expression" };
        var requireVerified = new Option<bool>("--require-verified") { Description = "Send nothing to members whose key no admin has verified (member verify)" };
        var noRequireVerified = new Option<bool>("--no-require-verified") { Description = "Send to unverified keys too (the default)" };
        var language = new Option<string?>("--language") { Description = "fr or en: the language of the mails the service writes to the list's members and admins, and of its AG template (default fr)" };
        var template = new Option<FileInfo?>("--template") { Description = "Keep this file (sealed) as the list's AG template for prepare; {{title}} and {{date}} are filled in" };
        var noTemplate = new Option<bool>("--no-template") { Description = "Go back to the built-in AG template" };
        var keep = new Option<string?>("--keep") { Description = "How long minutes are kept after delivery before they are shredded, e.g. 30d (default 30d)" };
        var command = new Command("set", "Change how a list sends: rate limits, redistribution to late joiners, digest, verified keys only; its language and AG template")
        {
            name, rate, dailyCap, redistribute, digest, requireVerified, noRequireVerified, language, template, noTemplate, keep,
        };
        command.SetHandler(async (ParseResult parse, ListStore store, MemberStore members, RecurringJobsSync recurring, AgPreparation preparation, RetentionStore retention,
            CliConsole console, CancellationToken cancellationToken) =>
        {
            var list = await store.GetAsync(parse.GetValue(name)!, cancellationToken);
            var updated = list with
            {
                RatePerMinute = parse.GetValue(rate) is { } r ? Limit(r, "--rate") : list.RatePerMinute,
                DailyCap = parse.GetValue(dailyCap) is { } c ? Limit(c, "--daily-cap") : list.DailyCap,
                RedistributeLast = parse.GetValue(redistribute) is { } n
                    ? (n is >= 0 and <= 100 ? n : throw new UserFacingException("--redistribute-last must be from 0 to 100"))
                    : list.RedistributeLast,
                DigestCron = parse.GetValue(digest) is { } d ? RecurringJobsSync.ParseDigestSchedule(d) : list.DigestCron,
            };
            var verifiedOnly = (parse.GetValue(requireVerified), parse.GetValue(noRequireVerified)) switch
            {
                (true, true) => throw new UserFacingException("give --require-verified or --no-require-verified, not both"),
                (true, false) => true,
                (false, true) => false,
                _ => (bool?)null,
            };
            var newLanguage = parse.GetValue(language) is { } code ? ListLanguages.Parse(code) : (ListLanguage?)null;
            var newKeep = parse.GetValue(keep) is { } period ? RetentionPeriod.ParseKeep(period) : null;
            if (parse.GetValue(template) is not null && parse.GetValue(noTemplate))
            {
                throw new UserFacingException("give --template FILE or --no-template, not both");
            }

            // The template is read (and refused, if it must be) before anything else is changed.
            if (parse.GetValue(template) is { } templateFile)
            {
                await preparation.SetTemplateAsync(list.Name, templateFile.FullName, cancellationToken);
            }
            else if (parse.GetValue(noTemplate))
            {
                await preparation.SetTemplateAsync(list.Name, null, cancellationToken);
            }

            if (newLanguage is { } chosen)
            {
                await store.SetLanguageAsync(list.Id, chosen, cancellationToken);
                updated = updated with { Language = chosen };
            }

            if (parse.GetValue(keep) is not null)
            {
                await retention.SetKeepDaysAsync(list.Id, newKeep, cancellationToken);
            }

            var ownTemplate = await store.GetSealedTemplateAsync(list.Id, cancellationToken) is not null;
            recurring.SyncDigest(updated);
            await store.UpdateSettingsAsync(list.Id, updated.RatePerMinute, updated.DailyCap, updated.RedistributeLast, updated.DigestCron, cancellationToken);
            if (verifiedOnly is { } required && required != list.RequireVerified)
            {
                await store.SetRequireVerifiedAsync(list.Id, required, new AuditEntry(list.Id, DateTimeOffset.UtcNow, Actor.Of(parse), AuditActions.RequireVerified,
                    Detail: required ? "on: unverified members are sent nothing" : "off"), cancellationToken);
                updated = updated with { RequireVerified = required };
                await ListKeyCommands.WarnUnverifiedAsync(members, console, updated, cancellationToken);
            }
            await console.Out.WriteLineAsync(
                $"{list.Name}: rate {updated.RatePerMinute?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}/min, daily cap {updated.DailyCap?.ToString(CultureInfo.InvariantCulture) ?? "none"}, " +
                $"late joiners get the last {updated.RedistributeLast}, digest {updated.DigestCron ?? "off"}, {(updated.RequireVerified ? "verified keys only" : "unverified keys accepted")}, " +
                $"language {updated.Language.Code()}, {(ownTemplate ? "its own AG template" : "the built-in AG template")}, " +
                RetentionPeriod.Describe(await retention.GetKeepDaysAsync(list.Id, cancellationToken)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static int? Limit(string value, string name) => value.Trim().ToLowerInvariant() switch
    {
        "off" or "none" or "0" => null,
        var v when int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1_000_000 => n,
        _ => throw new UserFacingException($"{name} must be a positive number or 'off' (not '{value}')"),
    };

    private static Command Resume()
    {
        var name = new Argument<string>("LIST");
        var command = new Command("resume", "Resume sending after fixing the provider (a refused login or certificate pauses a list)") { name };
        command.SetHandler(async (ParseResult parse, ListService listService, ListPause pause, CliConsole console, CancellationToken cancellationToken) =>
        {
            var list = await listService.GetAsync(parse.GetValue(name)!, cancellationToken);
            var count = await pause.ResumeAsync(list, cancellationToken);
            await console.Out.WriteLineAsync($"{list.Name}: sending resumed, {count} unfinished submission(s) queued again");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string?>("LIST") { Description = "One list (default: all lists)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("show", "Show lists: address, key, members, provider, limits, and whether sending is paused") { name, json };
        command.SetHandler(async (ParseResult parse, ListStore store, MemberStore memberStore, ProviderStore providers, CliConsole console, CancellationToken cancellationToken) =>
        {
            var lists = parse.GetValue(name) is { } one ? [await store.GetAsync(one, cancellationToken)] : await store.AllAsync(cancellationToken);
            var rows = new List<object>();
            foreach (var list in lists)
            {
                var (members, admins) = await memberStore.CountAsync(list.Id, cancellationToken);
                var provider = await providers.FindAsync(list.Id, cancellationToken);
                if (parse.GetValue(json))
                {
                    rows.Add(new
                    {
                        list = list.Name, address = list.Address, name = list.DisplayName, fingerprint = list.KeyFingerprint.Hex,
                        members, admins, provider = provider?.Describe(),
                        ratePerMinute = list.RatePerMinute, dailyCap = list.DailyCap, redistributeLast = list.RedistributeLast,
                        digest = list.DigestCron, paused = list.PausedReason, language = list.Language.Code(),
                    });
                    continue;
                }

                await console.Out.WriteLineAsync($"{list.Name}: {list.DisplayName} <{list.Address}>");
                await console.Out.WriteLineAsync($"  key        {list.KeyFingerprint.Grouped}");
                await console.Out.WriteLineAsync($"  members    {members} ({admins} admin{(admins == 1 ? "" : "s")})");
                await console.Out.WriteLineAsync($"  provider   {provider?.Describe() ?? "none yet (secureminutes provider set)"}");
                await console.Out.WriteLineAsync(
                    $"  sending    rate {list.RatePerMinute?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}/min, daily cap {list.DailyCap?.ToString(CultureInfo.InvariantCulture) ?? "none"}, " +
                    $"late joiners get the last {list.RedistributeLast}, digest {list.DigestCron ?? "off"}");
                await console.Out.WriteLineAsync($"  language   {list.Language.Code()}");
                if (list.IsPaused)
                {
                    await console.Out.WriteLineAsync($"  PAUSED     {TerminalText.Escape(list.PausedReason)} (fix it, then: secureminutes list resume {list.Name})");
                }
            }

            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, rows);
            }
            else if (lists.Count == 0)
            {
                await console.Out.WriteLineAsync("No lists yet (secureminutes list create LIST --address ADDR).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Digest()
    {
        var name = new Argument<string>("LIST");
        var command = new Command("digest", "Send the digest now to members who opted in (member set LIST EMAIL --digest), without waiting for its schedule") { name };
        command.SetHandler(async (ParseResult parse, ListService listService, Digests digests, CliConsole console, CancellationToken cancellationToken) =>
        {
            var list = await listService.GetAsync(parse.GetValue(name)!, cancellationToken);
            digests.Queue(list.Id);
            await console.Out.WriteLineAsync($"{list.Name}: digest queued (members who opted in receive it when a server runs)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Key()
    {
        var name = new Argument<string>("LIST");
        var command = new Command("key", "Print the list's public key (armored), for members to import; or rotate, export, revoke it") { name };
        command.SetHandler(async (ParseResult parse, ListService listService, CliConsole console, CancellationToken cancellationToken) =>
        {
            var list = await listService.GetAsync(parse.GetValue(name)!, cancellationToken);
            await console.Out.WriteAsync(ListService.ArmoredPublicKey(list));
            return ExitCodes.Success;
        });
        command.Subcommands.Add(ListKeyCommands.Export());
        command.Subcommands.Add(ListKeyCommands.Rotate());
        command.Subcommands.Add(ListKeyCommands.Revoke());
        return command;
    }
}
