using System.ComponentModel;
using SecureMinutes.Distribution;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's entry point for a list's periodic digest (<see cref="Digests"/>).</summary>
public sealed class DigestJob(Digests digests)
{
    [DisplayName("Digest of list {0}")]
    public Task RunAsync(long listId, CancellationToken cancellationToken) => digests.SendAsync(listId, cancellationToken);
}
