using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// SecureMinutes' own services on a data dir (and optional PostgreSQL), for setting up large lists fast
/// (hundreds of members) before real worker processes take over.
/// </summary>
public sealed class InProcess : IAsyncDisposable
{
    private static readonly string[] FixtureKeyNames = ["ed25519", "rsa3072", "sq-cv25519"];
    private readonly TestServices _services;

    public InProcess(string dataDir, string? databaseUrl = null, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        _services = new TestServices(dataDir, databaseUrl, time, name => environment?.GetValueOrDefault(name));

    public T Get<T>() where T : notnull => _services.Get<T>();

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
