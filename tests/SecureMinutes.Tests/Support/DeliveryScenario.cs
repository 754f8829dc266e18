using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;

namespace SecureMinutes.Tests.Support;

/// <summary>
/// A list "ag" with three members (ana, an admin; bob; chloe; real Ed25519/Cv25519 keys), on real SQLite, whose
/// provider is scripted: the stage of the delivery specs. Retries wait 1 and 5 minutes; a provider's "slow
/// down" cools the list down for 50 ms, so a spec that meets one still runs in milliseconds.
/// </summary>
internal sealed class DeliveryScenario : IAsyncDisposable
{
    public static readonly string[] Members = ["ana@example.org", "bob@example.org", "chloe@example.org"];

    private DeliveryScenario(TestServices services, ScriptedTransport provider, MailingList list)
    {
        Services = services;
        Provider = provider;
        List = list;
    }

    public TestServices Services { get; }

    public ScriptedTransport Provider { get; }

    public MailingList List { get; }

    public TestClock Clock => Services.Clock;

    /// <param name="publicUrl">The public address (SECUREMINUTES_PUBLIC_URL): with one, every copy carries its member's personal links.</param>
    public static async Task<DeliveryScenario> CreateAsync(int batchSize = 25, string? publicUrl = null)
    {
        var environment = new Dictionary<string, string?>
        {
            [SecureMinutesOptions.PublicUrlVariable] = publicUrl,
            ["SECUREMINUTES_RETRY_DELAYS"] = "1m,5m",
            ["SECUREMINUTES_THROTTLE_COOLDOWN"] = "0.05s",
            ["SECUREMINUTES_BATCH_SIZE"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var provider = new ScriptedTransport();
        var services = new TestServices(null, null, new TestClock(DateTimeOffset.UtcNow), environment.GetValueOrDefault, provider);
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<ProviderSetup>().SetOutboxAsync("ag", Path.Combine(services.DataDirectory, "unused-outbox"));
        foreach (var email in Members)
        {
            await services.Get<Membership>().AddAsync("ag", email, TestKeys.FixtureBytes("ed25519"), "key.asc",
                new MemberOptions(AllowUserIdMismatch: true, IsAdmin: email == Members[0]));
        }

        return new DeliveryScenario(services, provider, list);
    }

    public T Get<T>() where T : notnull => Services.Get<T>();

    /// <summary>Minutes to every member, stored and queued (no server runs them).</summary>
    public async Task<Submission> SubmitAsync() =>
        (await Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("Compte-rendu", "Décisions de l'AG."))).Submission;

    /// <summary>Minutes to every member, split into batches: batch 0 holds them all with the default size.</summary>
    public async Task<Submission> SubmitAndPlanAsync()
    {
        var submission = await SubmitAsync();
        Assert.Equal([0], await Get<FanOut>().PlanBatchesAsync(submission.Id, default));
        return submission;
    }

    public async Task<Dictionary<string, Delivery>> CopiesAsync(Submission submission) =>
        (await Get<DeliveryStore>().ListAsync(submission.Id)).ToDictionary(d => d.Email);

    public async Task<IReadOnlyList<Submission>> NoticesAsync() =>
        await Get<SubmissionStore>().LatestAsync(List.Id, SubmissionKind.Notice, 10);

    public Task<MailingList> CurrentListAsync() => Get<ListStore>().GetAsync(List.Id);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
