using SecureMinutes.Joining;

namespace SecureMinutes.SelfService;

/// <summary>
/// The daily clean-up of what members' own actions leave waiting: expired join requests (each leaving its audit line),
/// expired personal links and expired key changes. Before this, join requests were swept only when the join pages were
/// used, so an unconfirmed request could outlive its 48 hours on a quiet installation.
/// </summary>
public sealed class SelfServiceSweep(JoinRequests joining, MemberLinks links, KeyUpdates updates)
{
    /// <summary>Sweeps all three; returns how many of each went.</summary>
    public async Task<(int JoinRequests, int Links, int KeyUpdates)> RunAsync(CancellationToken cancellationToken) =>
        (await joining.SweepExpiredAsync(cancellationToken), await links.SweepAsync(cancellationToken), await updates.SweepAsync(cancellationToken));
}
