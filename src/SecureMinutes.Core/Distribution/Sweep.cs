using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Safety net: a due submission with pending copies that nothing has touched for longer than any retry
/// delay (its process died between storing it and queueing it, for instance) is distributed again. Delivery
/// claims make the extra run harmless.
/// </summary>
public sealed class Sweep(SubmissionStore submissions, ListStore lists, DistributionService distribution, DeliveryOptions options, TimeProvider time)
{
    public async Task RequeueForgottenAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var quietFor = options.RetryDelays.DefaultIfEmpty(TimeSpan.Zero).Max() + options.ClaimLease + TimeSpan.FromMinutes(10);
        foreach (var id in await submissions.StaleUnfinishedIdsAsync(now, now - quietFor, cancellationToken))
        {
            var submission = await submissions.GetAsync(id, cancellationToken);
            if (!(await lists.GetAsync(submission.ListId, cancellationToken)).IsPaused)
            {
                distribution.Queue(submission);
            }
        }
    }
}
