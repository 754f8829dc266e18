using Hangfire;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>Keeps Hangfire's recurring jobs in step with the lists: the sweep, the daily key refresh and expiry warnings, and each list's digest.</summary>
public sealed class RecurringJobsSync(IRecurringJobManager recurring, ListStore lists)
{
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SweepJob>(SweepJob.RecurringId, job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
        // Keys are refreshed first, so expiry warnings are not sent for keys already extended online.
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<KeyRefreshJob>(KeyRefreshJob.RecurringId, job => job.RunAsync(CancellationToken.None), "17 5 * * *", utc);
        recurring.AddOrUpdate<KeyLifecycleJob>(KeyLifecycleJob.RecurringId, job => job.RunAsync(CancellationToken.None), "17 7 * * *", utc);
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            SyncDigest(list);
        }
    }

    public void SyncDigest(MailingList list)
    {
        var id = $"digest-{list.Id}";
        if (list.DigestCron is null)
        {
            recurring.RemoveIfExists(id);
            return;
        }

        try
        {
            recurring.AddOrUpdate<DigestJob>(id, job => job.RunAsync(list.Id, CancellationToken.None), list.DigestCron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        catch (ArgumentException ex)
        {
            throw new UserFacingException($"'{list.DigestCron}' is not a cron expression Hangfire accepts ({ex.Message.Split('\n')[0].TrimEnd('.')})");
        }
    }

    /// <summary>"weekly" (Mondays 08:00 UTC), "off", or a five-field cron expression.</summary>
    public static string? ParseDigestSchedule(string value)
    {
        var trimmed = value.Trim();
        switch (trimmed.ToLowerInvariant())
        {
            case "off" or "none" or "no":
                return null;
            case "weekly":
                return Cron.Weekly(DayOfWeek.Monday, 8);
            case "daily":
                return Cron.Daily(8);
        }

        // Hangfire checks the expression itself when the recurring job is registered (SyncDigest).
        return trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5
            ? trimmed
            : throw new UserFacingException($"--digest must be weekly, daily, off or a five-field cron expression like \"0 8 * * 1\" (not '{value}')");
    }
}
