using SecureMinutes.Jobs;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// The right to deliver one batch, held by one run at a time (<see cref="BatchLeaseStore"/>). A second run of
/// the same batch (a job Hangfire fetched twice while the first still ran) waits for the first to finish and
/// then finds only what is still pending, so a batch is never sent by two workers at once. The lease lasts
/// <see cref="Duration"/> and is renewed every third of it while the run goes on; a run whose process died
/// loses it at once (<see cref="DeadWorkerRecovery"/>), or when it runs out.
/// </summary>
internal sealed class BatchLease : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly BatchLeaseStore _leases;
    private readonly string _submissionId;
    private readonly int _batch;
    private readonly string _owner;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private BatchLease(BatchLeaseStore leases, string submissionId, int batch, string owner, TimeSpan duration, TimeProvider time)
    {
        (_leases, _submissionId, _batch, _owner, _duration, _time) = (leases, submissionId, batch, owner, duration, time);
        _renewal = RenewAsync(_stop.Token);
    }

    /// <summary>Twice the claim lease, at least 30 s: the lease is renewed long before it could run out under load.</summary>
    public static TimeSpan Duration(DeliveryOptions options) => TimeSpan.FromTicks(Math.Max(options.ClaimLease.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Takes the batch's lease, waiting while another live run holds it.</summary>
    public static async Task<BatchLease> TakeAsync(BatchLeaseStore leases, string submissionId, int batch, DeliveryOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var owner = $"{WorkerIdentity.Current}#{Guid.NewGuid():N}";
        var duration = Duration(options);
        while (!await leases.TryAcquireAsync(submissionId, batch, owner, time.GetUtcNow(), time.GetUtcNow() + duration, cancellationToken))
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        return new BatchLease(leases, submissionId, batch, owner, duration, time);
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 3, stop);
                try
                {
                    await _leases.RenewAsync(_submissionId, _batch, _owner, _time.GetUtcNow() + _duration, stop);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
                {
                    // A renewal the database refused (busy, full) is tried again at the next tick: the lease has two
                    // more thirds of its time to run, and the copies' claims keep a second run from sending what this
                    // one has claimed meanwhile.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        await _leases.ReleaseAsync(_submissionId, _batch, _owner, CancellationToken.None);
    }
}
