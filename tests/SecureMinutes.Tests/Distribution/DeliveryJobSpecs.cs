using Hangfire;
using Hangfire.Storage;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Distribution;

/// <summary>
/// What the Hangfire entry points of delivery do with the domain's decisions: fan out into one job per batch,
/// come back later without using a retry, or fail the attempt so Hangfire retries it. Real Hangfire storage
/// (SQLite), no server: the specs read the queue through Hangfire's monitoring API.
/// </summary>
public sealed class DeliveryJobSpecs : IAsyncLifetime
{
    private DeliveryScenario _scenario = null!;

    private IMonitoringApi Monitoring => _scenario.Get<JobStorage>().GetMonitoringApi();

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync(batchSize: 2);

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private List<string> Enqueued(string method) =>
        Monitoring.EnqueuedJobs("default", 0, 100).Where(j => j.Value.Job?.Type.Name == method).Select(j => j.Key).ToList();

    [Fact]
    public async Task Submitting_QueuesOneDistribution_AndDistributing_QueuesOneDeliveryJobPerBatch()
    {
        var submission = await _scenario.SubmitAsync();
        Assert.Single(Enqueued(nameof(DistributeJob)));

        await _scenario.Get<DistributeJob>().RunAsync(submission.Id, default);

        Assert.Equal(2, Enqueued(nameof(DeliverBatchJob)).Count);
    }

    [Fact]
    public async Task Distributing_QueuesNothing_WhileTheListIsPaused()
    {
        var submission = await _scenario.SubmitAsync();
        await _scenario.Get<ListStore>().PauseAsync(_scenario.List.Id, "paused by a test", _scenario.Clock.Now);

        await _scenario.Get<DistributeJob>().RunAsync(submission.Id, default);

        Assert.Empty(Enqueued(nameof(DeliverBatchJob)));
    }

    [Fact]
    public async Task SendingLater_SchedulesTheDistributionAtItsTime()
    {
        var at = _scenario.Clock.Now.AddHours(3);
        await _scenario.Get<DistributionService>().SubmitAsync("ag", new SecureMinutes.Minutes.MinutesDocument("Plus tard", "Texte."), at);

        var scheduled = Assert.Single(Monitoring.ScheduledJobs(0, 10));
        Assert.Equal(nameof(DistributeJob), scheduled.Value.Job.Type.Name);
        Assert.Equal(at.UtcDateTime, scheduled.Value.EnqueueAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task BatchJob_SchedulesItselfForTheNextDay_WhenTheDailyCapIsReached()
    {
        await _scenario.Get<ListStore>().UpdateSettingsAsync(_scenario.List.Id, null, 1, 1, null);
        var submission = await _scenario.SubmitAsync();
        await _scenario.Get<FanOut>().PlanBatchesAsync(submission.Id, default);

        await _scenario.Get<DeliverBatchJob>().RunAsync(submission.Id, 0, null, default);

        var scheduled = Assert.Single(Monitoring.ScheduledJobs(0, 10));
        Assert.Equal(nameof(DeliverBatchJob), scheduled.Value.Job.Type.Name);
        Assert.Equal(_scenario.Clock.Now.UtcDateTime.Date.AddDays(1), scheduled.Value.EnqueueAt);
    }

    [Fact]
    public async Task BatchJob_FailsTheAttempt_SoHangfireRetriesIt_WhenCopiesWereDeferred()
    {
        _scenario.Provider.For("ana@example.org", ScriptedTransport.Defer);
        var submission = await _scenario.SubmitAsync();
        await _scenario.Get<FanOut>().PlanBatchesAsync(submission.Id, default);

        var deferred = await Assert.ThrowsAsync<DeliveryDeferredException>(() => _scenario.Get<DeliverBatchJob>().RunAsync(submission.Id, 0, null, default));

        Assert.Contains("retry 1 of 2", deferred.Message, StringComparison.Ordinal);
        Assert.Empty(Monitoring.ScheduledJobs(0, 10));
    }
}
