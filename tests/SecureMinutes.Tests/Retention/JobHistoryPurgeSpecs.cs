using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using SecureMinutes.Jobs;
using SecureMinutes.Retention;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>
/// The daily retention pass also drops Hangfire's history of finished jobs older than the retention (issue 17): real
/// Hangfire storage (SQLite), read through its monitoring API. Hangfire stamps jobs with the system clock, so the
/// test clock is moved past the retention rather than the jobs back.
/// </summary>
public sealed class JobHistoryPurgeSpecs
{
    private static string FinishedJob(TestServices services, IState state)
    {
        // Without the production filters: the retry filter would turn a failure into a retry, as it should in production.
        var jobs = new BackgroundJobClient(services.Get<JobStorage>(), new JobFilterCollection());
        var id = jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
        Assert.True(jobs.ChangeState(id, state, EnqueuedState.StateName));
        return id;
    }

    [Fact]
    public async Task FailedAndSucceededJobs_OlderThanTheRetention_AreExpired_AndRecentOnesKept()
    {
        await using var services = new TestServices(DateTimeOffset.UtcNow);
        var failed = FinishedJob(services, new FailedState(new InvalidOperationException("provider down")));
        var succeeded = FinishedJob(services, new SucceededState(null, 1, 1));
        var monitoring = services.Get<JobStorage>().GetMonitoringApi();

        await services.Get<Shredding>().ApplyRetentionAsync();
        Assert.Equal(1, monitoring.FailedCount());

        services.Clock.Advance(TimeSpan.FromDays(Shredding.DefaultKeepDays + 1));
        await services.Get<Shredding>().ApplyRetentionAsync();

        Assert.Equal(0, monitoring.FailedCount());
        Assert.Equal(DeletedState.StateName, monitoring.JobDetails(failed).History[0].StateName);
        foreach (var id in new[] { failed, succeeded })
        {
            Assert.True(monitoring.JobDetails(id).ExpireAt <= DateTime.UtcNow, $"job {id} does not expire now");
        }
    }
}
