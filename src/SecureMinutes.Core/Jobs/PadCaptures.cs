using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.Minutes;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Scheduled pad captures: <c>submit --pad URL --at 22:00</c> stores what to read (sealed) and a Hangfire
/// job with the capture's id only; at 22:00 <see cref="PadCaptureJob"/> reads the pad and distributes it.
/// </summary>
public sealed class PadCaptures(DistributionService distribution, PadCaptureStore captures, Vault vault, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task<PadCapture> ScheduleAsync(string listName, PadCaptureRequest request, DateTimeOffset captureAt, CancellationToken cancellationToken = default)
    {
        var (list, _) = await distribution.CheckReadyAsync(listName, captureAt, cancellationToken);
        var submissionId = SubmissionIds.New();
        var sealedRequest = vault.Box.Seal(request.Serialize(), RequestPurpose(submissionId));
        var capture = await captures.InsertAsync(list.Id, submissionId, sealedRequest, captureAt, time.GetUtcNow(), cancellationToken);
        jobs.Schedule<PadCaptureJob>(job => job.RunAsync(capture.Id, null, CancellationToken.None), captureAt);
        return capture;
    }

    public async Task<PadCaptureRequest> OpenRequestAsync(PadCapture capture, CancellationToken cancellationToken) =>
        PadCaptureRequest.Deserialize(vault.Box.Open(await captures.GetSealedRequestAsync(capture.Id, cancellationToken), RequestPurpose(capture.SubmissionId)));

    private static string RequestPurpose(string submissionId) => $"pad-capture:{submissionId}";
}
