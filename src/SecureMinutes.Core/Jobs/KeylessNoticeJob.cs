using System.ComponentModel;
using Hangfire;
using SecureMinutes.Distribution;
using SecureMinutes.SelfService;

namespace SecureMinutes.Jobs;

/// <summary>
/// Hangfire's entry point for the keyless notices of one finished minutes submission (<see cref="KeylessNoticeSender"/>
/// decides). Its only argument is the submission's id: who is told is in <c>keyless_notices</c>, never in the job.
/// Reentrant: a retry sends only the notices not yet answered.
/// </summary>
public sealed class KeylessNoticeJob(KeylessNoticeSender sender, IBackgroundJobClient jobs)
{
    [DisplayName("Keyless notices for {0}")]
    public async Task RunAsync(string submissionId, CancellationToken cancellationToken)
    {
        switch (await sender.SendAsync(submissionId, cancellationToken))
        {
            case BatchNext.RunAgainAt later:
                jobs.Schedule<KeylessNoticeJob>(job => job.RunAsync(submissionId, CancellationToken.None), later.At);
                break;
            case BatchNext.Retry retry:
                throw new DeliveryDeferredException(retry.Reason);
        }
    }
}
