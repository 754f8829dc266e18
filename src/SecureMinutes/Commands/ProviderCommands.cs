using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Jobs;
using SecureMinutes.Lists;
using SecureMinutes.Mail;

namespace SecureMinutes.Commands;

public static class ProviderCommands
{
    public static Command Build()
    {
        var provider = new Command("provider", "Set how a list sends its mail, and the mailbox it receives minutes in");
        provider.Subcommands.Add(Set());
        provider.Subcommands.Add(IntakeCommands.SetIntake());
        provider.Subcommands.Add(IntakeCommands.RemoveIntake());
        provider.Subcommands.Add(IntakeCommands.CheckIntake());
        return provider;
    }

    private static Command Set()
    {
        var list = new Argument<string>("LIST");
        var preset = new Option<string?>("--preset") { Description = $"Fill host, port, security and the list's rate from a known provider: {ProviderPreset.Names}" };
        var host = new Option<string?>("--host") { Description = "SMTP submission server, e.g. mail.riseup.net (default: the preset's)" };
        var port = new Option<int?>("--port") { Description = "465 (implicit TLS, the default) or 587 (STARTTLS)" };
        var security = new Option<string?>("--security") { Description = "tls | starttls | none (default: from the port; none: loopback servers only)" };
        var user = new Option<string?>("--user") { Description = "Login for SMTP AUTH" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Name of the environment variable holding the SMTP password (read when sending, never stored)" };
        var socks5 = new Option<string?>("--socks5") { Description = "Send all of the list's traffic through a SOCKS5 proxy that resolves names (Tor), e.g. 127.0.0.1:9050" };
        var tor = new Option<bool>("--tor") { Description = $"Shorthand for --socks5 {Socks5Address.Tor} (Tor's SocksPort)" };
        var trustCert = new Option<FileInfo?>("--trust-cert") { Description = "Pin this certificate (PEM or DER) for a server with a self-signed one" };
        var outbox = new Option<DirectoryInfo?>("--outbox") { Description = "Instead of SMTP: write the encrypted .eml files to this folder" };
        var command = new Command("set", "Set the SMTP provider (or a local outbox folder) a list sends through; check it with: secureminutes doctor LIST")
        {
            list, preset, host, port, security, user, passwordEnv, socks5, tor, trustCert, outbox,
        };
        command.SetHandler(async (ParseResult parse, ProviderSetup setup, ListService listService, ListPause pause, CliConsole console, CancellationToken cancellationToken) =>
        {
            var listName = parse.GetValue(list)!;
            if (parse.GetValue(outbox) is { } folder)
            {
                if (parse.GetValue(host) is not null || parse.GetValue(preset) is not null)
                {
                    throw new UserFacingException("give either --outbox or an SMTP provider (--preset/--host), not both");
                }

                var written = await setup.SetOutboxAsync(listName, folder.FullName, cancellationToken);
                await console.Out.WriteLineAsync($"{listName} sends through {written.Describe()}");
            }
            else
            {
                var result = await setup.SetSmtpAsync(listName, new SmtpProviderRequest(parse.GetValue(preset), parse.GetValue(host), parse.GetValue(port),
                    parse.GetValue(security), parse.GetValue(user), parse.GetValue(passwordEnv), parse.GetValue(socks5), parse.GetValue(tor),
                    parse.GetValue(trustCert)?.FullName), cancellationToken);
                var from = result.Preset is { IsCustom: false } p ? $" ({p.Name} preset)" : "";
                await console.Out.WriteLineAsync($"{listName} sends through {result.Settings.Describe()}{from}");
                if (result.RateApplied is { } rate)
                {
                    await console.Out.WriteLineAsync(
                        $"Rate: at most {rate} messages/min, the preset's default (its limit is not published); change it with: secureminutes list set {listName} --rate N");
                }

                await console.Out.WriteLineAsync($"Check it (nothing is sent): secureminutes doctor {listName}");
            }

            // A new provider setting is the usual fix for a paused list: resume it.
            var mailingList = await listService.GetAsync(listName, cancellationToken);
            if (mailingList.IsPaused)
            {
                var count = await pause.ResumeAsync(mailingList, cancellationToken);
                await console.Out.WriteLineAsync($"Sending resumed: {count} unfinished submission(s) queued again");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
