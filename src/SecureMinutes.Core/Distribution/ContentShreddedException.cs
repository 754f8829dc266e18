using System.Globalization;

namespace SecureMinutes.Distribution;

/// <summary>
/// A submission's content was asked for after it was shredded (<see cref="Retention.Shredding"/>): there is nothing left
/// to open, for anyone. Callers that can do without it (digests, redistribution, the web's lists) check
/// <see cref="Submission.ShreddedAt"/> first; this is for the ones that cannot.
/// </summary>
public sealed class ContentShreddedException(Submission submission)
    : UserFacingException($"submission {submission.Id}: content shredded on {ShreddedOn(submission)}")
{
    public Submission Submission { get; } = submission;

    /// <summary>The day of the shredding as <c>status</c> and messages show it (UTC, yyyy-MM-dd).</summary>
    public static string ShreddedOn(Submission submission) =>
        submission.ShreddedAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
}
