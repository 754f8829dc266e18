using System.ComponentModel;
using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Safety net, every few minutes: a due submission with pending copies that nothing has touched for
/// longer than any retry delay (its process died between storing it and enqueuing it, for instance) is
/// distributed again. Delivery claims make the extra run harmless.
/// </summary>
public sealed class SweepJob(SubmissionStore submissions, ListStore lists, IBackgroundJobClient jobs, DeliveryOptions options, TimeProvider time)
{
    public const string RecurringId = "sweep";

    [DisplayName("Sweep for forgotten submissions")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var quietFor = options.RetryDelays.DefaultIfEmpty(TimeSpan.Zero).Max() + options.ClaimLease + TimeSpan.FromMinutes(10);
        foreach (var id in await submissions.StaleUnfinishedIdsAsync(now, now - quietFor, cancellationToken))
        {
            var submission = await submissions.GetAsync(id, cancellationToken);
            if (!(await lists.GetAsync(submission.ListId, cancellationToken)).IsPaused)
            {
                jobs.Enqueue<DistributeJob>(job => job.RunAsync(id, CancellationToken.None));
            }
        }
    }
}
