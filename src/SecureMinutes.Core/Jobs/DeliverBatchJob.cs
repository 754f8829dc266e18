using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using SecureMinutes.Distribution;
using SecureMinutes.Mail;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Delivers one batch of a submission over one provider session. Reentrant, as Hangfire recommends: a
/// retry or a second worker only sends the copies still pending. Transient refusals make Hangfire retry
/// the batch with backoff; after the last retry the remaining copies are failed with the provider's
/// answer. Login or TLS refusals pause the list instead of burning retries; a used-up sending quota pauses
/// it until the quota should be back; "slow down" replies are absorbed by the pacer and cost no retry.
/// </summary>
public sealed class DeliverBatchJob(SubmissionStore submissions, ListStore lists, DeliveryStore deliveries, DeliveryRunner runner,
    IBackgroundJobClient jobs, ListPause pause, DeliveryOptions options, SubmissionCompletion completion, TimeProvider time)
{
    [DisplayName("Deliver {0} batch {1}")]
    public async Task RunAsync(string submissionId, int batch, PerformContext? context, CancellationToken cancellationToken)
    {
        var submission = await submissions.FindAsync(submissionId, cancellationToken);
        if (submission is null)
        {
            return;
        }

        var list = await lists.GetAsync(submission.ListId, cancellationToken);
        if (list.IsPaused)
        {
            return;
        }

        var result = await runner.RunAsync(submission.Id, batch, cancellationToken: cancellationToken);
        if (result.Stopped is { NeedsAdmin: true } refused)
        {
            await pause.PauseAsync(list, refused.Message, cancellationToken);
            return;
        }

        if (result.Stopped is { Failure: TransportFailure.QuotaExceeded } quota)
        {
            // The account's quota is spent: every batch would only be refused again. The list pauses and
            // resumes by itself when the quota should be back (admins can resume earlier).
            var resumeAt = time.GetUtcNow() + (quota.RetryAfter ?? TimeSpan.FromHours(24));
            await pause.PauseUntilAsync(list, quota.Message, resumeAt, cancellationToken);
            return;
        }

        // Waiting for the daily cap or a provider's cool-down is not a failed attempt: no retry is used up.
        if ((result.CapReached?.ResumesAt ?? result.ResumeAt) is { } later)
        {
            jobs.Schedule<DeliverBatchJob>(job => job.RunAsync(submission.Id, batch, null, CancellationToken.None), later);
            return;
        }

        var pending = await deliveries.PendingMemberIdsAsync(submission.Id, batch, cancellationToken);
        if (pending.Count > 0)
        {
            var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
            if (attempt < options.RetryDelays.Count)
            {
                throw new DeliveryDeferredException($"{pending.Count} copies of {submission.Id} batch {batch} were deferred; retry {attempt + 1} of {options.RetryDelays.Count}");
            }

            await deliveries.GiveUpAsync(submission.Id, batch, $"gave up after {attempt + 1} attempts", time.GetUtcNow(), cancellationToken);
        }

        await completion.CompleteIfDoneAsync(submission, cancellationToken);
    }
}
