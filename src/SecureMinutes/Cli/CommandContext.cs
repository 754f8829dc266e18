using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureMinutes.Jobs;

namespace SecureMinutes.Cli;

/// <summary>What a command runs with: the services for the chosen data dir, and where to write.</summary>
public sealed class CommandContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CommandContext(ServiceProvider services, SecureMinutesOptions options)
    {
        _services = services;
        Options = options;
    }

    public SecureMinutesOptions Options { get; }

    public TextWriter Out { get; } = Console.Out;

    public TextWriter Error { get; } = Console.Error;

    /// <summary>Progress bars go to stderr, and only when a person is watching it.</summary>
    public bool Interactive => !Console.IsErrorRedirected;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static CommandContext Create(string? dataDir, string? databaseUrl)
    {
        var options = SecureMinutesOptions.Create(dataDir, databaseUrl);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSecureMinutes(options)
            .AddSecureMinutesJobs(options)
            .BuildServiceProvider();
        return new CommandContext(services, options);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
