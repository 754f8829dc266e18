using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureMinutes.Jobs;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// SecureMinutes' real services (SQLite, vault, Hangfire storage without a server) on a temporary data dir,
/// with a clock the test controls: jobs are enqueued but never run, so the test runs what it wants itself.
/// </summary>
internal sealed class Services : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _provider;

    public Services(DateTimeOffset? now = null, Func<string, string?>? environment = null)
    {
        Clock = new MutableClock(now ?? DateTimeOffset.UtcNow);
        var options = SecureMinutesOptions.Create(_dir.File("data"), null, environment ?? (_ => null));
        _provider = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(Clock)
            .AddSecureMinutes(options)
            .AddSecureMinutesJobs(options)
            .BuildServiceProvider();
    }

    public MutableClock Clock { get; }

    public string DataDirectory => _dir.File("data");

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }
}
