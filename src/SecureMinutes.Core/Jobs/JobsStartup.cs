using Hangfire;
using Microsoft.Extensions.Hosting;

namespace SecureMinutes.Jobs;

/// <summary>When a server starts: recurring jobs match the lists, and forgotten submissions are looked for at once.</summary>
public sealed class JobsStartup(RecurringJobsSync recurring, IBackgroundJobClient jobs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await recurring.SyncAllAsync(cancellationToken);
        jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
