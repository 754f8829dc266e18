using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Notices;

/// <summary>
/// The words of notices to a list's admins about its deliveries, in the list's language (<see cref="MailingList.Language"/>),
/// from the resources <c>NoticeResources.resx</c>/<c>NoticeResources.fr.resx</c>. Commands stay as typed.
/// </summary>
public static class AdminNoticeText
{
    /// <param name="keylessNotices">How many of the skipped members are being sent the keyless notice (issue 11).</param>
    public static MinutesDocument UndeliveredCopies(MailingList list, Submission submission, int total, IReadOnlyList<Delivery> problems, int keylessNotices = 0)
    {
        var unverified = problems.Any(p => p.Detail?.Contains("requires verified keys", StringComparison.Ordinal) == true);
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Undelivered", list.Name, problems.Count, total, submission.Id, submission.CreatedAt.UtcDateTime)
                .Say("NoneInClear")
                .Blank()
                .SayItems(problems, "UndeliveredCopy", copy => [copy.Email, copy.State.ToText(), copy.Detail ?? ""])
                .Blank();
            if (unverified)
            {
                section.Say("UnverifiedAdvice").Command($"secureminutes member verify {list.Name} ADDRESS --fingerprint FINGERPRINT").Blank();
            }

            section.Say("UnusableAdvice").Command($"secureminutes member add {list.Name} ADDRESS --key FILE   (+ --replace)").Say("CatchUp");
            if (keylessNotices > 0)
            {
                section.Blank().Say("KeylessNoticesSent", keylessNotices);
            }
        }

        return notice.ToLocalizedDocument("UndeliveredSubject", list.Name, problems.Count);
    }

    public static MinutesDocument PausedForQuota(MailingList list, string reason, DateTimeOffset resumeAt)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Quota", list.Name, reason)
                .Say("QuotaNothingLost", resumeAt.UtcDateTime)
                .Say("QuotaResumeEarlier")
                .Command($"secureminutes list resume {list.Name}")
                .Say("QuotaAvoid");
        }

        return notice.ToLocalizedDocument("QuotaSubject", list.Name);
    }

    public static MinutesDocument Paused(MailingList list, string reason)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Paused", list.Name, reason).Say("PausedNothingLost").Command($"secureminutes list resume {list.Name}");
        }

        return notice.ToLocalizedDocument("PausedSubject", list.Name);
    }

    public static MinutesDocument CaptureFailed(MailingList list, string submissionId, DateTimeOffset captureAt, string reason)
    {
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("Capture", list.Name, captureAt.UtcDateTime, submissionId)
                .Say("CaptureReason", reason)
                .Say("CaptureByHand")
                .Command($"secureminutes submit {list.Name} --pad PAD-URL");
        }

        return notice.ToLocalizedDocument("CaptureSubject", list.Name);
    }
}
