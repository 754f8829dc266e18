using Hangfire;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Hands a stored submission to Hangfire: now, or at its send time ("send at 22:00").</summary>
public sealed class SubmissionDispatcher(IBackgroundJobClient jobs, TimeProvider time)
{
    public string Dispatch(Submission submission) => submission.SendAt > time.GetUtcNow()
        ? jobs.Schedule<DistributeJob>(job => job.RunAsync(submission.Id, CancellationToken.None), submission.SendAt)
        : jobs.Enqueue<DistributeJob>(job => job.RunAsync(submission.Id, CancellationToken.None));
}
