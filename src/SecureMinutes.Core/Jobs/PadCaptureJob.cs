using System.ComponentModel;
using Hangfire.Server;
using SecureMinutes.Minutes;

namespace SecureMinutes.Jobs;

/// <summary>The capture could not read the pad this time; Hangfire tries again after the usual delays.</summary>
public sealed class PadCaptureDeferredException(string message) : Exception(message);

/// <summary>Hangfire's entry point for a scheduled pad capture (<see cref="PadCaptures"/>).</summary>
public sealed class PadCaptureJob(PadCaptures captures)
{
    [DisplayName("Capture pad {0}")]
    public async Task RunAsync(long captureId, PerformContext? context, CancellationToken cancellationToken)
    {
        var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
        if (await captures.CaptureAsync(captureId, attempt, cancellationToken) is { } retry)
        {
            throw new PadCaptureDeferredException(retry);
        }
    }
}
