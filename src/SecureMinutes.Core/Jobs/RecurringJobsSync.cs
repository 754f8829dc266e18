using Hangfire;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>Keeps Hangfire's recurring jobs in step with the lists: the sweep, the daily key refresh, expiry warnings and retention, each list's digest and mail-in fetch.</summary>
public sealed class RecurringJobsSync(IRecurringJobManager recurring, ListStore lists, IntakeStore intakes, JobOptions options)
{
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SweepJob>(SweepJob.RecurringId, job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
        // Keys are refreshed first, so expiry warnings are not sent for keys already extended online.
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<KeyRefreshJob>(KeyRefreshJob.RecurringId, job => job.RunAsync(CancellationToken.None), "17 5 * * *", utc);
        recurring.AddOrUpdate<KeyLifecycleJob>(KeyLifecycleJob.RecurringId, job => job.RunAsync(CancellationToken.None), "17 7 * * *", utc);
        recurring.AddOrUpdate<SelfServiceSweepJob>(SelfServiceSweepJob.RecurringId, job => job.RunAsync(CancellationToken.None), "37 4 * * *", utc);
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), "43 3 * * *", utc);
        var withIntake = (await intakes.ListIdsAsync(cancellationToken)).ToHashSet();
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            SyncDigest(list);
            SyncIntake(list.Id, withIntake.Contains(list.Id));
        }
    }

    /// <summary>A list with an intake mailbox has it fetched every minute (<c>SECUREMINUTES_INTAKE_SCHEDULE</c>).</summary>
    public void SyncIntake(long listId, bool hasIntake)
    {
        var id = $"mail-in-{listId}";
        if (hasIntake)
        {
            recurring.AddOrUpdate<MailInJob>(id, job => job.RunAsync(listId, CancellationToken.None), options.IntakeSchedule,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        else
        {
            recurring.RemoveIfExists(id);
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
