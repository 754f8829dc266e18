using System.ComponentModel;
using SecureMinutes.Keyring;

namespace SecureMinutes.Jobs;

/// <summary>Hangfire's daily entry point: refresh every list's keyring from keyservers and WKD (<see cref="DailyKeyRefresh"/>).</summary>
public sealed class KeyRefreshJob(DailyKeyRefresh refresh)
{
    public const string RecurringId = "keys-refresh";

    [DisplayName("Refresh member keys")]
    public Task RunAsync(CancellationToken cancellationToken) => refresh.RunAsync(cancellationToken);
}
