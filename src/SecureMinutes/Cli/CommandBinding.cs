using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureMinutes.Cli;

/// <summary>
/// Runs a command's body with the services it names. A handler declares what it needs as parameters
/// (<c>(parse, Membership membership, CliConsole console, cancellationToken) =&gt; …</c>), the way ASP.NET Core
/// binds minimal API handlers: the services are built for the chosen data dir with the one composition
/// method (<see cref="ServiceCollectionExtensions.AddSecureMinutes"/>), resolved here and handed over; no
/// handler reaches into the container itself. Every failure ends as one line (<see cref="CliApp.SetGuardedAction"/>).
/// </summary>
public static class CommandBinding
{
    public static void SetHandler<T1>(this Command command, Func<ParseResult, T1, CancellationToken, Task<int>> body)
        where T1 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), ct));

    public static void SetHandler<T1, T2>(this Command command, Func<ParseResult, T1, T2, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), ct));

    public static void SetHandler<T1, T2, T3>(this Command command, Func<ParseResult, T1, T2, T3, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull where T3 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), s.GetRequiredService<T3>(), ct));

    public static void SetHandler<T1, T2, T3, T4>(this Command command, Func<ParseResult, T1, T2, T3, T4, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull where T3 : notnull where T4 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), s.GetRequiredService<T3>(),
            s.GetRequiredService<T4>(), ct));

    public static void SetHandler<T1, T2, T3, T4, T5>(this Command command, Func<ParseResult, T1, T2, T3, T4, T5, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull where T3 : notnull where T4 : notnull where T5 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), s.GetRequiredService<T3>(),
            s.GetRequiredService<T4>(), s.GetRequiredService<T5>(), ct));

    public static void SetHandler<T1, T2, T3, T4, T5, T6>(this Command command,
        Func<ParseResult, T1, T2, T3, T4, T5, T6, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull where T3 : notnull where T4 : notnull where T5 : notnull where T6 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), s.GetRequiredService<T3>(),
            s.GetRequiredService<T4>(), s.GetRequiredService<T5>(), s.GetRequiredService<T6>(), ct));

    public static void SetHandler<T1, T2, T3, T4, T5, T6, T7>(this Command command,
        Func<ParseResult, T1, T2, T3, T4, T5, T6, T7, CancellationToken, Task<int>> body)
        where T1 : notnull where T2 : notnull where T3 : notnull where T4 : notnull where T5 : notnull where T6 : notnull where T7 : notnull =>
        command.SetServicesAction((parse, s, ct) => body(parse, s.GetRequiredService<T1>(), s.GetRequiredService<T2>(), s.GetRequiredService<T3>(),
            s.GetRequiredService<T4>(), s.GetRequiredService<T5>(), s.GetRequiredService<T6>(), s.GetRequiredService<T7>(), ct));

    /// <summary>The services of one CLI invocation: the composition for <c>--data-dir</c>/<c>--db</c>, plus the console.</summary>
    public static ServiceProvider BuildServices(ParseResult parse)
    {
        var options = SecureMinutesOptions.Create(parse.GetValue(CliApp.DataDir), parse.GetValue(CliApp.Db));
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(CliConsole.System())
            .AddSingleton<SubmissionWaiter>()
            .AddSecureMinutes(options)
            .BuildServiceProvider();
    }

    private static void SetServicesAction(this Command command, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> body) =>
        command.SetGuardedAction(async (parse, cancellationToken) =>
        {
            var dataDirectory = SecureMinutesOptions.ResolveDataDirectory(parse.GetValue(CliApp.DataDir));
            try
            {
                await using var services = BuildServices(parse);
                return await body(parse, services, cancellationToken);
            }
            // A full disk or a locked database is the machine's state, not a bug: one line in the admin's words.
            catch (Exception ex) when (ex is not UserFacingException and not OperationCanceledException
                && Storage.EnvironmentFault.Describe(ex, dataDirectory) is { } line)
            {
                throw new UserFacingException(line, ex);
            }
        });
}
