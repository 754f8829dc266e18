using System.ComponentModel;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// The periodic digest: the minutes sent since the previous digest, as one encrypted mail to members who
/// opted in (<c>member set … --digest</c>). A MIME <c>multipart/digest</c> of the original messages, so
/// mail clients show each set of minutes as it was.
/// </summary>
public sealed class DigestJob(ListStore lists, MemberStore members, SubmissionStore submissions, DistributionService distribution,
    SubmissionDispatcher dispatcher, TimeProvider time)
{
    /// <summary>The first digest of a list covers at most this far back.</summary>
    private static readonly TimeSpan FirstPeriod = TimeSpan.FromDays(7);

    [DisplayName("Digest of list {0}")]
    public async Task RunAsync(long listId, CancellationToken cancellationToken)
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
        var items = await submissions.SinceAsync(list.Id, SubmissionKind.Minutes, since, cancellationToken);
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

        var intro = new TextPart(MimeKit.Text.TextFormat.Plain);
        intro.SetText("utf-8",
            FormattableString.Invariant($"Résumé de la liste {list.DisplayName} : {items.Count} compte(s)-rendu(s) depuis le {since:dd/MM/yyyy}.\n") +
            FormattableString.Invariant($"Digest of {list.DisplayName}: {items.Count} set(s) of minutes since {since:yyyy-MM-dd}.\n"));
        var subject = FormattableString.Invariant($"Résumé / digest {list.DisplayName} — {items.Count} compte(s)-rendu(s)");
        var created = await distribution.CreateAsync(list, SubmissionKind.Digest, MinutesPayload.FromParts(subject, [intro, digest]), recipients, now, cancellationToken: cancellationToken);
        dispatcher.Dispatch(created.Submission);
    }
}
