using System.Globalization;

namespace SecureMinutes.Retention;

/// <summary>How <c>list set --keep</c> and <c>purge --before</c> read what a person types.</summary>
public static class RetentionPeriod
{
    /// <summary>The longest retention accepted: ten years.</summary>
    public const int MaxDays = 3650;

    /// <summary>
    /// "30d" (days, 0 to <see cref="MaxDays"/>: 0 shreds at the first daily pass after the last copy is final), or
    /// "default" for <see cref="Shredding.DefaultKeepDays"/>; returns the days, null for the default.
    /// </summary>
    /// <exception cref="UserFacingException">Anything else, in one line.</exception>
    public static int? ParseKeep(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        if (text == "default")
        {
            return null;
        }

        return text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= MaxDays
            ? days
            : throw new UserFacingException($"--keep must be a number of days like 30d (at most {MaxDays}d) or 'default' (not '{value}')");
    }

    /// <summary>
    /// A date (yyyy-MM-dd, midnight UTC) or a date and time with its offset (ISO 8601): <c>purge --before</c> shreds what
    /// was submitted strictly before it.
    /// </summary>
    /// <exception cref="UserFacingException">Not a date.</exception>
    public static DateTimeOffset ParseBefore(string value)
    {
        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new UserFacingException($"--before must be a date like 2026-10-01 (not '{value}')");
    }

    /// <summary>How a retention reads in <c>list set</c>'s answer.</summary>
    public static string Describe(int? keepDays) =>
        string.Create(CultureInfo.InvariantCulture, $"content kept {keepDays ?? Shredding.DefaultKeepDays} days after delivery{(keepDays is null ? " (default)" : "")}, then shredded");
}
