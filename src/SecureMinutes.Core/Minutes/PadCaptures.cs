using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Notices;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Minutes;

/// <summary>
/// Scheduled pad captures: <c>submit --pad URL --at 22:00</c> stores what to read (sealed) and a Hangfire job
/// with the capture's id only; at 22:00 <see cref="CaptureAsync"/> reads the pad and distributes it like any
/// minutes. Reentrant: the submission id was chosen when the capture was scheduled, so a run after a crash
/// finds the submission it made instead of making a second. A pad that cannot be reached is tried again a
/// few times; then, or at once for what needs a person (unknown pad, refused key), the admins get an
/// encrypted notice and nothing is sent. Messages name the capture by id only: the pad address is a key to the minutes.
/// </summary>
public sealed class PadCaptures(
    DistributionService distribution, PadCaptureStore captures, SubmissionStore submissions, ListStore lists, MemberStore members, PadReader reader,
    AdminNotices notices, Vault vault, IBackgroundJobClient jobs, DeliveryOptions options, TimeProvider time)
{
    /// <summary>
    /// Retries of an unreachable pad before the admins are told: with the production delays about 18 minutes,
    /// soon enough for someone to send the pad by hand while the AG is still fresh.
    /// </summary>
    private const int MaxRetries = 4;

    /// <summary>
    /// Schedules the capture of a pad at <paramref name="captureAt"/>. The pad is read once now all the same (and
    /// the text dropped), so a wrong address or key is reported to the note-taker today rather than to the admins
    /// at 22:00; an empty or still-growing pad is fine at this point.
    /// </summary>
    /// <exception cref="UserFacingException">The list cannot send (<see cref="DistributionService.CheckListReadyAsync"/>) or the pad cannot be read.</exception>
    public async Task<PadCapture> ScheduleAsync(string listName, PadCaptureRequest request, DateTimeOffset captureAt, CancellationToken cancellationToken = default)
    {
        var list = await distribution.CheckListReadyAsync(listName, captureAt, cancellationToken);
        try
        {
            await reader.ReadAsync(list.Id, request.ToPadRequest(), cancellationToken);
        }
        catch (PadException ex) when (ex.Failure is PadFailure.Empty or PadFailure.TooLarge)
        {
        }

        var submissionId = SubmissionIds.New();
        var sealedRequest = vault.Box.Seal(request.Serialize(), RequestPurpose(submissionId));
        var capture = await captures.InsertAsync(list.Id, submissionId, sealedRequest, captureAt, time.GetUtcNow(), cancellationToken);
        jobs.Schedule<PadCaptureJob>(job => job.RunAsync(capture.Id, null, CancellationToken.None), captureAt);
        return capture;
    }

    /// <summary>
    /// Reads the pad of capture <paramref name="captureId"/> and distributes it. Returns null when done (sent,
    /// failed with the admins told, or nothing to do), or the reason to try again later: the pad could not be
    /// reached and <paramref name="attempt"/> (0 first, then the retry number) is below the retries allowed.
    /// </summary>
    public async Task<string?> CaptureAsync(long captureId, int attempt, CancellationToken cancellationToken)
    {
        var capture = await captures.FindAsync(captureId, cancellationToken);
        if (capture is null || capture.State != PadCaptureState.Pending)
        {
            return null;
        }

        if (await submissions.FindAsync(capture.SubmissionId, cancellationToken) is { } made)
        {
            // A previous run stored the submission and died before recording it: the pad is not read again.
            await captures.FinishAsync(capture.Id, PadCaptureState.Done, null, time.GetUtcNow(), cancellationToken);
            distribution.Queue(made);
            return null;
        }

        var list = await lists.GetAsync(capture.ListId, cancellationToken);
        var request = await OpenRequestAsync(capture, cancellationToken);
        PadText pad;
        try
        {
            pad = await reader.ReadAsync(list.Id, request.ToPadRequest(), cancellationToken);
        }
        catch (UserFacingException ex)
        {
            var retries = Math.Min(options.RetryDelays.Count, MaxRetries);
            if (ex is PadException { IsTransient: true } transient && attempt < retries)
            {
                return $"pad capture {capture.Id} could not read its pad ({transient.Failure}); retry {attempt + 1} of {retries}";
            }

            await FailAsync(capture, list, (ex as PadException)?.Failure.ToString() ?? "configuration", ex.Message, cancellationToken);
            return null;
        }

        var recipients = await members.ListAsync(list.Id, cancellationToken);
        if (recipients.Count == 0)
        {
            await FailAsync(capture, list, "no-members", "the list has no members", cancellationToken);
            return null;
        }

        var now = time.GetUtcNow();
        var document = new MinutesDocument(MinutesSubject.Choose(request.Subject, pad.Text, now), pad.Text)
        {
            Format = MinutesFormats.Choose(request.Format, pad.Format),
            Attachments = request.Attachments,
        };
        // Stored before the capture is marked done: a crash in between makes the next run find it and queue it again.
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(document), recipients) { Id = capture.SubmissionId },
            cancellationToken);
        await captures.FinishAsync(capture.Id, PadCaptureState.Done, null, now, cancellationToken);
        return null;
    }

    public async Task<PadCaptureRequest> OpenRequestAsync(PadCapture capture, CancellationToken cancellationToken) =>
        PadCaptureRequest.Deserialize(vault.Box.Open(await captures.GetSealedRequestAsync(capture.Id, cancellationToken), RequestPurpose(capture.SubmissionId)));

    private async Task FailAsync(PadCapture capture, MailingList list, string failure, string reason, CancellationToken cancellationToken)
    {
        if (await captures.FinishAsync(capture.Id, PadCaptureState.Failed, failure, time.GetUtcNow(), cancellationToken))
        {
            await notices.SendAsync(list, AdminNoticeText.CaptureFailed(list, capture.SubmissionId, capture.CaptureAt, reason), cancellationToken);
        }
    }

    private static string RequestPurpose(string submissionId) => $"pad-capture:{submissionId}";
}
