using Hangfire;
using Microsoft.Extensions.Hosting;

namespace SecureMinutes.Jobs;

/// <summary>
/// The background server of a <c>serve</c> or <c>worker</c> process: a Hangfire server runs until the host stops
/// (a job cut short resumes later: every job is reentrant), and on start recurring jobs are brought in step with
/// the lists and a sweep looks for forgotten submissions at once. The server starts first: a worker that died
/// may have held Hangfire locks (the recurring jobs', a job's state lock) that only expire after 30 s, and
/// waiting for them must not delay the queued work; what the dead worker held is taken back by
/// <see cref="DeadWorkerRecovery"/>, which runs inside the server from its start.
/// </summary>
public sealed class JobServerHost(JobServerFactory servers, RecurringJobsSync recurring, IBackgroundJobClient jobs, string role) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = servers.Start(role);
        await recurring.SyncAllAsync(cancellationToken);
        jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
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
