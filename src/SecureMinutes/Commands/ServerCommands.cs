using System.CommandLine;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureMinutes.Cli;
using SecureMinutes.Jobs;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>serve</c>: the background server of an installation (and its web UI when it exists);
/// <c>worker</c>: only the background server, for extra machines sharing a PostgreSQL database.
/// </summary>
public static class ServerCommands
{
    public static Command Serve()
    {
        var command = new Command("serve", "Run the background server: deliveries, retries, scheduled sending, redistribution, digests");
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "serve", cancellationToken));
        return command;
    }

    public static Command Worker()
    {
        var command = new Command("worker", "Run only the background server, e.g. on extra machines sharing one PostgreSQL (--db)");
        command.SetAction((parse, cancellationToken) => RunAsync(parse, "worker", cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, string role, CancellationToken cancellationToken)
    {
        try
        {
            var options = SecureMinutesOptions.Create(parse.GetValue(CliApp.DataDir), parse.GetValue(CliApp.Db));
            var builder = Host.CreateApplicationBuilder();
            ServerLogging.Configure(builder.Logging);
            builder.Services.AddSecureMinutes(options);
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<JobServerHost>(services, role));
            using var host = builder.Build();
            // Hangfire logs (retries, failed jobs) only through a process-wide provider: this process has one host, so it is this host's log.
            GlobalConfiguration.Configuration.UseLogProvider(new AspNetCoreLogProvider(host.Services.GetRequiredService<ILoggerFactory>()));
            await Console.Error.WriteLineAsync($"SecureMinutes {role}: {options.Jobs.WorkerCount} workers on {options.Database.Describe()}; Ctrl-C stops (unfinished work resumes later).");
            await host.RunAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (UserFacingException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
    }
}
