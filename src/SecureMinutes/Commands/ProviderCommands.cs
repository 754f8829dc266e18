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
        var host = new Option<string?>("--host") { Description = "SMTP submission server, e.g. mail.riseup.net" };
        var port = new Option<int?>("--port") { Description = "465 for tls, 587 for starttls" };
        var security = new Option<string?>("--security") { Description = "tls | starttls | none (none: loopback servers only)" };
        var user = new Option<string?>("--user") { Description = "Login for SMTP AUTH" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Name of the environment variable holding the SMTP password (read when sending, never stored)" };
        var socks5 = new Option<string?>("--socks5") { Description = "Send through a SOCKS5 proxy, e.g. Tor at 127.0.0.1:9050 (it resolves the host name)" };
        var trustCert = new Option<FileInfo?>("--trust-cert") { Description = "Pin this certificate (PEM or DER) for a server with a self-signed one" };
        var outbox = new Option<DirectoryInfo?>("--outbox") { Description = "Instead of SMTP: write the encrypted .eml files to this folder" };
        var command = new Command("set", "Set the SMTP provider (or a local outbox folder) a list sends through")
        {
            list, host, port, security, user, passwordEnv, socks5, trustCert, outbox,
        };
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var setup = context.Get<ProviderSetup>();
            ProviderSettings settings;
            if (parse.GetValue(outbox) is { } folder)
            {
                if (parse.GetValue(host) is not null)
                {
                    throw new UserFacingException("give either --outbox or --host, not both");
                }

                settings = await setup.SetOutboxAsync(parse.GetValue(list)!, folder.FullName, cancellationToken);
            }
            else
            {
                var hostName = parse.GetValue(host) ?? throw new UserFacingException("--host is required (or --outbox DIR)");
                var portNumber = parse.GetValue(port) ?? throw new UserFacingException("--port is required (465 for tls, 587 for starttls)");
                var mode = parse.GetValue(security) ?? throw new UserFacingException("--security is required: tls, starttls or none");
                settings = await setup.SetSmtpAsync(parse.GetValue(list)!, hostName, portNumber, mode, parse.GetValue(user), parse.GetValue(passwordEnv),
                    parse.GetValue(socks5), parse.GetValue(trustCert)?.FullName, cancellationToken);
            }

            await context.Out.WriteLineAsync($"{parse.GetValue(list)} sends through {settings.Describe()}");
            // A new provider setting is the usual fix for a paused list: resume it.
            var mailingList = await context.Get<ListService>().GetAsync(parse.GetValue(list)!, cancellationToken);
            if (mailingList.IsPaused)
            {
                var count = await context.Get<ListPause>().ResumeAsync(mailingList, cancellationToken);
                await context.Out.WriteLineAsync($"Sending resumed: {count} unfinished submission(s) queued again");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
