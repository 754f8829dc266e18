using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>The list's daily quota is used up; sending resumes at <see cref="ResumesAt"/>.</summary>
public sealed class DailyCapReachedException(DateTimeOffset resumesAt, int cap)
    : Exception(FormattableString.Invariant($"the list's daily cap of {cap} messages is reached; sending resumes at {resumesAt:yyyy-MM-dd HH:mm} UTC"))
{
    public DateTimeOffset ResumesAt { get; } = resumesAt;
}

/// <summary>
/// Keeps a list within its provider's limits across all workers: messages spaced evenly at the list's
/// rate per minute, and no more than its daily cap per UTC day.
/// </summary>
public sealed class SendPacer(PacingStore pacing, TimeProvider time)
{
    public async Task WaitForSlotAsync(MailingList list, CancellationToken cancellationToken)
    {
        if (list.DailyCap is { } cap && !await pacing.TryCountTodayAsync(list.Id, time.GetUtcNow(), cap, cancellationToken))
        {
            throw new DailyCapReachedException(new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero), cap);
        }

        if (list.RatePerMinute is { } rate && rate > 0)
        {
            var slot = await pacing.ReserveSlotAsync(list.Id, time.GetUtcNow(), TimeSpan.FromMinutes(1) / rate, cancellationToken);
            var wait = slot - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }
}
