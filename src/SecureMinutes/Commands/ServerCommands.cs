using System.CommandLine;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureMinutes.Cli;
using SecureMinutes.Jobs;
using SecureMinutes.Web;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>serve</c>: the web app and the background server of an installation, in one process;
/// <c>worker</c>: only the background server, for extra machines sharing a PostgreSQL database.
/// </summary>
public static class ServerCommands
{
    public static Command Serve()
    {
        var urls = new Option<string?>("--urls") { Description = "Where the web app listens (default: $ASPNETCORE_URLS, else http://127.0.0.1:8080)" };
        var publicUrl = new Option<string?>("--public-url") { Description = $"The address people open, e.g. https://minutes.example.org: every link the service mails or prints is built from it (default: ${SecureMinutesOptions.PublicUrlVariable})" };
        var trustedProxy = new Option<string[]>("--trusted-proxy")
        {
            Description = $"A reverse proxy (address or CIDR network) whose X-Forwarded-For/-Proto are believed; repeat for several (default: ${WebSettings.TrustedProxyVariable}, else none)",
        };
        var command = new Command("serve", "Run the web app and the background server: deliveries, retries, scheduled sending, redistribution, digests")
        {
            urls, publicUrl, trustedProxy,
        };
        command.SetAction((parse, cancellationToken) => RunWebAsync(parse, parse.GetValue(urls), parse.GetValue(publicUrl), parse.GetValue(trustedProxy) ?? [], cancellationToken));
        return command;
    }

    public static Command Worker()
    {
        var command = new Command("worker", "Run only the background server, e.g. on extra machines sharing one PostgreSQL (--db)");
        command.SetAction((parse, cancellationToken) => RunWorkerAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunWebAsync(ParseResult parse, string? urls, string? publicUrl, string[] trustedProxies, CancellationToken cancellationToken)
    {
        try
        {
            var options = SecureMinutesOptions.Create(parse.GetValue(CliApp.DataDir), parse.GetValue(CliApp.Db));
            if (!string.IsNullOrWhiteSpace(publicUrl))
            {
                options = options with { PublicUrl = SecureMinutesOptions.ParsePublicUrl(publicUrl, "--public-url") };
            }

            var proxies = trustedProxies.Length > 0 ? trustedProxies
                : Environment.GetEnvironmentVariable(WebSettings.TrustedProxyVariable) is { Length: > 0 } fromEnvironment ? [fromEnvironment] : [];
            var settings = new WebSettings
            {
                Urls = !string.IsNullOrWhiteSpace(urls) ? urls
                    : Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } environmentUrls ? environmentUrls
                    : new WebSettings().Urls,
                TrustedProxies = WebSettings.ParseProxies(proxies),
                SignInAttemptsPerMinute = WebSettings.SignInAttemptsFrom(Environment.GetEnvironmentVariable(WebSettings.SignInAttemptsVariable)),
            };

            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = [],
                EnvironmentName = Environments.Production,
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.WebHost.UseUrls(settings.Urls);
            ServerLogging.Configure(builder.Logging);
            builder.Services.AddSecureMinutesWeb(options, settings);
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<JobServerHost>(services, "serve"));
            await using var app = builder.Build();
            app.UseSecureMinutesWeb(settings);
            UseHangfireLog(app.Services);
            await Console.Error.WriteLineAsync($"SecureMinutes serve: web app on {settings.Urls}"
                + (options.PublicUrl is { } url ? $" (public address {url})" : "")
                + $", {options.Jobs.WorkerCount} workers on {options.Database.Describe()}; Ctrl-C stops (unfinished work resumes later).");
            await app.RunAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (UserFacingException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"error: cannot listen: {ex.Message} (choose another with --urls)");
            return ExitCodes.Error;
        }
    }

    private static async Task<int> RunWorkerAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            var options = SecureMinutesOptions.Create(parse.GetValue(CliApp.DataDir), parse.GetValue(CliApp.Db));
            var builder = Host.CreateApplicationBuilder();
            ServerLogging.Configure(builder.Logging);
            builder.Services.AddSecureMinutes(options);
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<JobServerHost>(services, "worker"));
            using var host = builder.Build();
            UseHangfireLog(host.Services);
            await Console.Error.WriteLineAsync($"SecureMinutes worker: {options.Jobs.WorkerCount} workers on {options.Database.Describe()}; Ctrl-C stops (unfinished work resumes later).");
            await host.RunAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (UserFacingException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>Hangfire logs (retries, failed jobs) only through a process-wide provider: this process has one host, so it is this host's log.</summary>
    private static void UseHangfireLog(IServiceProvider services) =>
        GlobalConfiguration.Configuration.UseLogProvider(new AspNetCoreLogProvider(services.GetRequiredService<ILoggerFactory>()));
}
