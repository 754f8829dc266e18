using System.ComponentModel;
using SecureMinutes.Keyring;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>Daily, after the refresh: expiry warnings to members and admins, and reports of keys that died (<see cref="KeyLifecycle"/>).</summary>
public sealed class KeyLifecycleJob(ListStore lists, KeyLifecycle lifecycle)
{
    public const string RecurringId = "keys-lifecycle";

    [DisplayName("Key expiry warnings")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var list in await lists.AllAsync(cancellationToken))
        {
            await lifecycle.RunAsync(list, cancellationToken);
        }
    }
}
