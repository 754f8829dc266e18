using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Some copies of a batch were deferred by the provider: Hangfire retries the batch later.</summary>
public sealed class DeliveryDeferredException(string message) : Exception(message);

/// <summary>
/// Hangfire's entry point for one batch of a submission (<see cref="BatchDelivery"/> decides). Reentrant, as
/// Hangfire recommends: a retry or a second worker only sends the copies still pending. A batch to run
/// again later is scheduled; deferred copies make Hangfire retry the batch (<see cref="JobFilters"/>).
/// </summary>
public sealed class DeliverBatchJob(BatchDelivery delivery, IBackgroundJobClient jobs)
{
    [DisplayName("Deliver {0} batch {1}")]
    public async Task RunAsync(string submissionId, int batch, PerformContext? context, CancellationToken cancellationToken)
    {
        var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
        switch (await delivery.DeliverAsync(submissionId, batch, attempt, cancellationToken))
        {
            case BatchNext.RunAgainAt later:
                jobs.Schedule<DeliverBatchJob>(job => job.RunAsync(submissionId, batch, null, CancellationToken.None), later.At);
                break;
            case BatchNext.Retry retry:
                throw new DeliveryDeferredException(retry.Reason);
        }
    }
}
