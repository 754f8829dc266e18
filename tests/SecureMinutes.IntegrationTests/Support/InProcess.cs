using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureMinutes.Jobs;
using SecureMinutes.Lists;
using SecureMinutes.Mail;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// SecureMinutes' own services on a data dir (and optional PostgreSQL), for setting up large lists fast
/// (hundreds of members) before real worker processes take over.
/// </summary>
public sealed class InProcess : IAsyncDisposable
{
    private static readonly string[] FixtureKeyNames = ["ed25519", "rsa3072", "sq-cv25519"];
    private static readonly ILoggerFactory SharedLoggerFactory = LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Warning));
    private readonly ServiceProvider _services;

    public InProcess(string dataDir, string? databaseUrl = null, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // One logger factory for the whole test run: Hangfire's log provider is process-wide and would keep
        // using a factory that a finished test's provider disposed.
        var services = new ServiceCollection().AddSingleton(SharedLoggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var options = SecureMinutesOptions.Create(dataDir, databaseUrl, name => environment?.GetValueOrDefault(name));
        _services = services.AddSecureMinutes(options).AddSecureMinutesJobs(options).BuildServiceProvider();
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A list with <paramref name="count"/> members m0001@example.org… sharing real fixture keys.</summary>
    public async Task<MailingList> CreateListAsync(string name, int count, SmtpSink sink, int? ratePerMinute = null, Func<int, string>? email = null)
    {
        var list = await Get<ListService>().CreateAsync(name, $"{name}@lists.example.test", null);
        var keys = FixtureKeyNames.Select(k => File.ReadAllBytes(RepoPaths.FixtureKey(k + ".pub.asc"))).ToArray();
        var membership = Get<Membership>();
        for (var i = 1; i <= count; i++)
        {
            var address = email?.Invoke(i) ?? $"m{i:D4}@example.org";
            await membership.AddAsync(name, address, keys[i % keys.Length], "fixture", new MemberOptions(AllowUserIdMismatch: true));
        }

        await Get<ProviderSetup>().SetSmtpAsync(name, "127.0.0.1", sink.Port, "starttls", null, null, null, sink.CertificatePath);
        if (ratePerMinute is not null)
        {
            await Get<Storage.ListStore>().UpdateSettingsAsync(list.Id, ratePerMinute, null, 1, null);
        }

        return list;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
