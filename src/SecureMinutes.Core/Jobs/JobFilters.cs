using Hangfire;
using Hangfire.Common;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>
/// The Hangfire filters of one installation: what Hangfire's process-wide <c>GlobalJobFilters</c> holds by
/// default, with its retry filter replaced by ours, plus the attributes on job methods (<c>[AutomaticRetry]</c>,
/// <c>[DisplayName]</c>). Handed to this provider's client, recurring manager and servers, so two hosts in one
/// process never share (or change) each other's filters.
/// </summary>
public static class JobFilters
{
    /// <summary>
    /// Deferred batches are retried after <see cref="DeliveryOptions.RetryDelays"/> (1, 2, 5, 10, 20, 30 min,
    /// 1 h, 2 h by default) instead of Hangfire's default ten attempts with its own backoff.
    /// </summary>
    public static IJobFilterProvider Create(DeliveryOptions delivery)
    {
        var delays = delivery.RetryDelays;
        var filters = new JobFilterCollection();
        filters.Add(new CaptureCultureAttribute());
        filters.Add(new AutomaticRetryAttribute
        {
            Attempts = delays.Count,
            DelayInSecondsByAttemptFunc = attempt => delays.Count == 0 ? 1
                : (int)Math.Ceiling(delays[(int)Math.Clamp(attempt - 1, 0, delays.Count - 1)].TotalSeconds),
            LogEvents = true,
        });
        filters.Add(new StatisticsHistoryAttribute());
        filters.Add(new ContinuationsSupportAttribute());
        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}
