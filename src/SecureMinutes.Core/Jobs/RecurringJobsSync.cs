using Hangfire;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>Keeps Hangfire's recurring jobs in step with the lists: the sweep, each list's digest and mail-in fetch.</summary>
public sealed class RecurringJobsSync(IRecurringJobManager recurring, ListStore lists, IntakeStore intakes, JobOptions options)
{
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SweepJob>(SweepJob.RecurringId, job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
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
