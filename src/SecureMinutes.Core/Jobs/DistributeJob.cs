using System.ComponentModel;
using Hangfire;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's entry point for fanning a submission out: one <see cref="DeliverBatchJob"/> per batch (<see cref="FanOut"/>).</summary>
public sealed class DistributeJob(FanOut fanOut, IBackgroundJobClient jobs)
{
    [DisplayName("Distribute {0}")]
    public async Task RunAsync(string submissionId, CancellationToken cancellationToken)
    {
        foreach (var batch in await fanOut.PlanBatchesAsync(submissionId, cancellationToken))
        {
            jobs.Enqueue<DeliverBatchJob>(job => job.RunAsync(submissionId, batch, null, CancellationToken.None));
        }
    }
}
