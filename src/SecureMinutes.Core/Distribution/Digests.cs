using Hangfire;
using Microsoft.Extensions.Logging;
using MimeKit;
using SecureMinutes.Jobs;
using SecureMinutes.Mail;
using SecureMinutes.Notices;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// The periodic digest: the minutes sent since the previous digest, as one encrypted mail to members who
/// opted in (<c>member set … --digest</c>). A MIME <c>multipart/digest</c> of the original messages, so
/// mail clients show each set of minutes as it was.
/// </summary>
public sealed partial class Digests(ListStore lists, MemberStore members, SubmissionStore submissions, DistributionService distribution, IBackgroundJobClient jobs,
    TimeProvider time, ILogger<Digests> logger)
{
    /// <summary>Makes the digest of <paramref name="listId"/> in the background, now rather than at its schedule.</summary>
    public void Queue(long listId) => jobs.Enqueue<DigestJob>(job => job.RunAsync(listId, CancellationToken.None));

    /// <summary>The first digest of a list covers at most this far back.</summary>
    private static readonly TimeSpan FirstPeriod = TimeSpan.FromDays(7);

    /// <summary>Queues the digest of <paramref name="listId"/>: nothing when nobody opted in or nothing was sent since the previous one.</summary>
    public async Task SendAsync(long listId, CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listId, cancellationToken);
        var recipients = (await members.ListAsync(list.Id, cancellationToken)).Where(m => m.WantsDigest).ToList();
        if (recipients.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var previous = await submissions.LatestAsync(list.Id, SubmissionKind.Digest, 1, cancellationToken);
        var since = previous.Count > 0 ? previous[0].CreatedAt : now - FirstPeriod;
        var made = await submissions.SinceAsync(list.Id, SubmissionKind.Minutes, since, cancellationToken);
        // Minutes shredded since (a short retention, a purge) cannot be quoted: the digest covers the others.
        var items = made.Where(s => s.ShreddedAt is null).ToList();
        if (items.Count < made.Count)
        {
            LogShreddedSkipped(logger, list.Id, made.Count - items.Count);
        }

        if (items.Count == 0)
        {
            return;
        }

        var digest = new Multipart("digest");
        foreach (var item in items)
        {
            var payload = await distribution.OpenPayloadAsync(item.Id, cancellationToken);
            var original = new MimeMessage { Subject = payload.Subject, Date = item.CreatedAt, MessageId = item.MessageId };
            original.From.Add(list.Mailbox);
            original.Body = payload.BodyParts.Count == 1 ? payload.BodyParts[0] : new Multipart("mixed", [.. payload.BodyParts]);
            digest.Add(new MessagePart { Message = original });
        }

        var words = new NoticeText(list.Language);
        foreach (var section in words.Sections)
        {
            section.Say("Digest", list.DisplayName, items.Count, since.UtcDateTime);
        }

        var document = words.ToLocalizedDocument("DigestSubject", list.DisplayName, items.Count);
        var intro = new TextPart(MimeKit.Text.TextFormat.Plain);
        intro.SetText("utf-8", document.Text);
        var subject = document.Subject;
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Digest, MinutesPayload.FromParts(subject, [intro, digest]), recipients), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest of list {ListId}: {Count} shredded minutes left out")]
    private static partial void LogShreddedSkipped(ILogger logger, long listId, int count);
}
