using System.ComponentModel;
using Hangfire.Server;
using SecureMinutes.Distribution;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Minutes.Pads;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>The capture could not read the pad this time; Hangfire tries again after the usual delays.</summary>
public sealed class PadCaptureDeferredException(string message) : Exception(message);

/// <summary>
/// Reads a scheduled pad at its time and distributes it like any minutes. Reentrant: the submission id was
/// chosen when the capture was scheduled, so a run after a crash finds the submission it made instead of
/// making a second. A pad that cannot be reached is tried again a few times; then, or at once for what
/// needs a person (unknown pad, refused key), the admins get an encrypted notice and nothing is sent.
/// Log and exception messages name the capture by id only: the pad address is a key to the minutes.
/// </summary>
public sealed class PadCaptureJob(PadCaptureStore captures, PadCaptures requests, ListStore lists, MemberStore members, ProviderStore providers,
    SubmissionStore submissions, DistributionService distribution, SubmissionDispatcher dispatcher, PadReader reader, AdminNotices notices,
    DeliveryOptions options, TimeProvider time)
{
    /// <summary>
    /// Retries of an unreachable pad before the admins are told: with the production delays about 18 minutes,
    /// soon enough for someone to send the pad by hand while the AG is still fresh.
    /// </summary>
    private const int MaxRetries = 4;

    [DisplayName("Capture pad {0}")]
    public async Task RunAsync(long captureId, PerformContext? context, CancellationToken cancellationToken)
    {
        var capture = await captures.FindAsync(captureId, cancellationToken);
        if (capture is null || capture.State != PadCaptureState.Pending)
        {
            return;
        }

        if (await submissions.FindAsync(capture.SubmissionId, cancellationToken) is { } made)
        {
            // A previous run stored the submission and died before recording it.
            await captures.FinishAsync(capture.Id, PadCaptureState.Done, null, time.GetUtcNow(), cancellationToken);
            dispatcher.Dispatch(made);
            return;
        }

        var list = await lists.GetAsync(capture.ListId, cancellationToken);
        var request = await requests.OpenRequestAsync(capture, cancellationToken);
        PadText pad;
        try
        {
            var socks5 = (await providers.FindAsync(list.Id, cancellationToken))?.Socks5;
            pad = await reader.ReadAsync(request.ToPadRequest(), socks5, cancellationToken);
        }
        catch (UserFacingException ex)
        {
            var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
            var retries = Math.Min(options.RetryDelays.Count, MaxRetries);
            if (ex is PadException { IsTransient: true } transient && attempt < retries)
            {
                throw new PadCaptureDeferredException($"pad capture {capture.Id} could not read its pad ({transient.Failure}); retry {attempt + 1} of {retries}");
            }

            await FailAsync(capture, list, (ex as PadException)?.Failure.ToString() ?? "configuration", ex.Message, cancellationToken);
            return;
        }

        var recipients = await members.ListAsync(list.Id, cancellationToken);
        if (recipients.Count == 0)
        {
            await FailAsync(capture, list, "no-members", "the list has no members", cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var document = new MinutesDocument(MinutesSubject.Choose(request.Subject, pad.Text, now), pad.Text)
        {
            Format = MinutesFormats.Choose(request.Format, pad.Format),
            Attachments = request.Attachments,
        };
        var created = await distribution.CreateAsync(capture.SubmissionId, list, SubmissionKind.Minutes, MinutesPayload.FromMinutes(document), recipients, now, cancellationToken: cancellationToken);
        await captures.FinishAsync(capture.Id, PadCaptureState.Done, null, now, cancellationToken);
        dispatcher.Dispatch(created.Submission);
    }

    private async Task FailAsync(PadCapture capture, Lists.MailingList list, string failure, string reason, CancellationToken cancellationToken)
    {
        if (await captures.FinishAsync(capture.Id, PadCaptureState.Failed, failure, time.GetUtcNow(), cancellationToken))
        {
            await notices.SendAsync(list, AdminNoticeText.CaptureFailed(list, capture.SubmissionId, capture.CaptureAt, reason), cancellationToken);
        }
    }
}
