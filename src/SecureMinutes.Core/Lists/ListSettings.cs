using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

/// <summary>How a list sends, as an admin sets it: the provider's rate and daily cap (null: none), how many of the latest
/// minutes late joiners receive, the digest schedule (a cron expression, null: off), and whether unverified keys are sent nothing.</summary>
public sealed record ListSendingSettings(int? RatePerMinute, int? DailyCap, int RedistributeLast, string? DigestCron, bool RequireVerified)
{
    /// <summary>The language of the list's notices; null: unchanged.</summary>
    public ListLanguage? Language { get; init; }
}

/// <summary>
/// Changes a list's sending settings with the checks <c>list set</c> applies: limits in range, the digest's recurring
/// job kept in step, and a change of "verified keys only" written to the audit log.
/// </summary>
public sealed class ListSettings(ListStore lists, RecurringJobsSync recurring, TimeProvider time)
{
    /// <exception cref="UserFacingException">A value out of range, named.</exception>
    public async Task<MailingList> UpdateAsync(string listName, ListSendingSettings settings, string actor, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        Check(settings.RatePerMinute, "rate", 1_000_000);
        Check(settings.DailyCap, "daily cap", 1_000_000);
        if (settings.RedistributeLast is < 0 or > 100)
        {
            throw new UserFacingException("late joiners can receive from 0 to 100 of the latest minutes");
        }

        var updated = list with
        {
            RatePerMinute = settings.RatePerMinute, DailyCap = settings.DailyCap, RedistributeLast = settings.RedistributeLast, DigestCron = settings.DigestCron,
        };
        recurring.SyncDigest(updated);
        await lists.UpdateSettingsAsync(list.Id, updated.RatePerMinute, updated.DailyCap, updated.RedistributeLast, updated.DigestCron, cancellationToken);
        if (settings.RequireVerified != list.RequireVerified)
        {
            await lists.SetRequireVerifiedAsync(list.Id, settings.RequireVerified, new AuditEntry(list.Id, time.GetUtcNow(), actor, AuditActions.RequireVerified,
                Detail: settings.RequireVerified ? "on: unverified members are sent nothing" : "off"), cancellationToken);
        }

        if (settings.Language is { } language && language != list.Language)
        {
            await lists.SetLanguageAsync(list.Id, language, cancellationToken);
            updated = updated with { Language = language };
        }

        return updated with { RequireVerified = settings.RequireVerified };
    }

    private static void Check(int? value, string name, int max)
    {
        if (value is <= 0 || value > max)
        {
            throw new UserFacingException($"the {name} must be a positive number (or empty for none)");
        }
    }
}
