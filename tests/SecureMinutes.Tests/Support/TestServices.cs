using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SecureMinutes.Mail;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// The one way tests compose SecureMinutes: the production composition (<see cref="ServiceCollectionExtensions.AddSecureMinutes"/>)
/// on a data dir (a fresh temporary one unless given) with real SQLite or PostgreSQL, the vault and Hangfire's
/// storage, and no Hangfire server: jobs are enqueued but never run, so a test runs what it wants itself.
/// A test may replace the clock and the mail transport (a scripted SMTP session), nothing else.
/// </summary>
internal sealed class TestServices : IDisposable, IAsyncDisposable
{
    private readonly string? _ownDirectory;
    private readonly ServiceProvider _provider;

    public TestServices(DateTimeOffset? now = null, Func<string, string?>? environment = null, IMailTransportFactory? transports = null)
        : this(null, null, new TestClock(now ?? DateTimeOffset.UtcNow), environment, transports)
    {
    }

    /// <param name="dataDirectory">The data dir; null: a temporary one, deleted with these services.</param>
    /// <param name="databaseUrl">postgres://… for PostgreSQL; null: SQLite in the data dir.</param>
    /// <param name="time">The clock every service sees; null: the system clock.</param>
    /// <param name="environment">SECUREMINUTES_* settings (tuning, passwords); null: none at all, never the test process's own.</param>
    /// <param name="transports">Where mail goes; null: the real SMTP/outbox transports.</param>
    public TestServices(string? dataDirectory, string? databaseUrl = null, TimeProvider? time = null, Func<string, string?>? environment = null,
        IMailTransportFactory? transports = null)
    {
        if (dataDirectory is null)
        {
            _ownDirectory = Directory.CreateTempSubdirectory("secureminutes-tests-").FullName;
        }

        DataDirectory = dataDirectory ?? Path.Combine(_ownDirectory!, "data");
        Time = time ?? TimeProvider.System;
        var options = SecureMinutesOptions.Create(DataDirectory, databaseUrl, environment ?? (_ => null));
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(Time)
            .AddSecureMinutes(options);
        // The vault's secrets (SECUREMINUTES_PASSPHRASE, SECUREMINUTES_KEY_FILE) come from the same settings, never the process's.
        services.Replace(ServiceDescriptor.Singleton(new global::SecureMinutes.Secrets.Vault(DataDirectory, environment ?? (_ => null))));
        if (transports is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(transports));
        }

        _provider = services.BuildServiceProvider();
    }

    public string DataDirectory { get; }

    public TimeProvider Time { get; }

    /// <summary>The clock, when it is a <see cref="TestClock"/> (the default of the first constructor).</summary>
    public TestClock Clock => Time as TestClock ?? throw new InvalidOperationException("these services run on another clock");

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose()
    {
        _provider.Dispose();
        DeleteOwnDirectory();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        DeleteOwnDirectory();
    }

    private void DeleteOwnDirectory()
    {
        if (_ownDirectory is null)
        {
            return;
        }

        // Pooled SQLite connections keep the database (and its WAL) open.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_ownDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test that used it.
        }
    }
}
