using Hangfire;
using Microsoft.Extensions.Hosting;

namespace SecureMinutes.Jobs;

/// <summary>
/// The background server of a <c>serve</c> or <c>worker</c> process: on start, recurring jobs are brought in
/// step with the lists and a sweep looks for forgotten submissions at once; then a Hangfire server runs until
/// the host stops (a job cut short resumes later: every job is reentrant).
/// </summary>
public sealed class JobServerHost(JobServerFactory servers, RecurringJobsSync recurring, IBackgroundJobClient jobs, DeadWorkerRecovery recovery, string role)
    : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A worker restarted after a crash takes back what the dead one held at once (claims, leases, processing jobs).
        await recovery.RecoverAsync(cancellationToken);
        await recurring.SyncAllAsync(cancellationToken);
        jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
        _server = servers.Start(role);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            _server.SendStop();
            await _server.WaitForShutdownAsync(cancellationToken);
        }
    }

    public void Dispose() => _server?.Dispose();
}
