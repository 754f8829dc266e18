using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Distribution;

/// <summary>
/// Keeps a list within its provider's limits across all workers: messages spaced evenly at the list's rate
/// per minute, no more than its daily cap per UTC day, and slower still while the provider says so.
/// <para>
/// Adaptive slowdown (shared by every worker through the list's pacing row): a rate-limit reply (Postfix's
/// "450 4.7.1 Error: too much mail") doubles the spacing between messages, starting from the larger of the
/// current spacing and the rate actually achieved recently, and stops all sending for a cool-down (the
/// provider's counting window is unknown; Postfix's default anvil window is a minute). Each message sent
/// afterwards relaxes the spacing by 1%, so the rate creeps back up (about halving the slowdown every 70
/// messages) and settles just under the provider's limit; a day without such replies forgets it. Replies to
/// messages already on their way when the slowdown was decided count as the same signal, so four workers
/// hitting the limit together slow the list down once, not four times.
/// </para>
/// </summary>
public sealed class SendPacer(PacingStore pacing, DeliveryOptions options, TimeProvider time)
{
    /// <summary>Per mille of the slowdown kept after each message: 990 relaxes it by 1%.</summary>
    private static readonly ThrottleRecovery Recovery = new(KeepPerMille: 990, ForgetAfter: TimeSpan.FromDays(1), Window: TimeSpan.FromMinutes(1));

    /// <summary>The smallest slowdown worth applying, and the largest (one message an hour).</summary>
    private static readonly TimeSpan MinThrottle = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxThrottle = TimeSpan.FromHours(1);

    /// <summary>
    /// Takes the list's next send slot, waiting for it in place when it is at most
    /// <see cref="DeliveryOptions.MaxInPlaceWait"/> away: <see cref="PaceDecision.SendNow"/>. A slot further away
    /// gives <see cref="PaceDecision.WaitUntil"/> (the caller comes back then), a used-up daily cap gives
    /// <see cref="PaceDecision.CapReached"/> (until the next UTC day). Only cancellation throws.
    /// </summary>
    public Task<PaceDecision> WaitForSlotAsync(MailingList list, CancellationToken cancellationToken) => WaitForSlotsAsync(list, 1, cancellationToken);

    /// <summary>
    /// As <see cref="WaitForSlotAsync"/>, for up to <paramref name="wanted"/> messages: a list with no rate, no daily cap
    /// and no slowdown in force gets them all in one reservation (<see cref="PaceDecision.SendNow.Count"/>), one
    /// database write for a group of copies instead of one per copy; any other list gets one slot at a time.
    /// </summary>
    public async Task<PaceDecision> WaitForSlotsAsync(MailingList list, int wanted, CancellationToken cancellationToken)
    {
        if (wanted > 1 && BaseInterval(list) == TimeSpan.Zero && list.DailyCap is null
            && await UnpacedGroupAsync(list, wanted, cancellationToken) is { } group)
        {
            return group;
        }


        if (list.DailyCap is { } cap && !await pacing.TryCountTodayAsync(list.Id, time.GetUtcNow(), cap, cancellationToken))
        {
            return new PaceDecision.CapReached(new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero), cap);
        }

        while (true)
        {
            var reservedAt = time.GetUtcNow();
            var slot = await pacing.ReserveSlotAsync(list.Id, reservedAt, BaseInterval(list), Recovery, options.MaxInPlaceWait, cancellationToken: cancellationToken);
            if (slot is null)
            {
                var state = await pacing.GetAsync(list.Id, cancellationToken);
                return new PaceDecision.WaitUntil(state.NextSlot > state.ThrottledUntil ? state.NextSlot : state.ThrottledUntil);
            }

            var wait = slot.Value - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return new PaceDecision.SendNow(new SendSlot(reservedAt));
            }

            await Task.Delay(wait, time, cancellationToken);
            // A slowdown decided while this worker waited moves it behind the cool-down: reserve again.
            if ((await pacing.GetAsync(list.Id, cancellationToken)).LastThrottleAt is not { } last || last < reservedAt)
            {
                return new PaceDecision.SendNow(new SendSlot(reservedAt));
            }
        }
    }

    /// <summary>Reserves <paramref name="wanted"/> messages at once when no slowdown is in force; null otherwise.</summary>
    private async Task<PaceDecision?> UnpacedGroupAsync(MailingList list, int wanted, CancellationToken cancellationToken)
    {
        var reservedAt = time.GetUtcNow();
        var state = await pacing.GetAsync(list.Id, cancellationToken);
        if (state.ThrottleInterval > TimeSpan.Zero || state.ThrottledUntil > reservedAt
            || await pacing.ReserveSlotAsync(list.Id, reservedAt, TimeSpan.Zero, Recovery, options.MaxInPlaceWait, wanted, cancellationToken) is not { } slot)
        {
            return null;
        }

        // A slot ahead of now is left by the rate the list had before: waited for as for one message.
        if (slot - time.GetUtcNow() is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }

        return new PaceDecision.SendNow(new SendSlot(reservedAt), wanted);
    }

    /// <summary>
    /// The provider refused a message sent in <paramref name="slot"/> because the list sends too fast: slows the
    /// list down (once per burst, see the class remarks). Returns whether this reply changed the pace.
    /// </summary>
    public async Task<bool> ThrottledAsync(MailingList list, SendSlot slot, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (list.DailyCap is not null)
        {
            // The copy is sent again later and counted then; this attempt did not use the provider's quota.
            await pacing.UncountTodayAsync(list.Id, now, cancellationToken);
        }

        var state = await pacing.GetAsync(list.Id, cancellationToken);
        var current = Max(BaseInterval(list), state.ThrottleInterval);
        var elapsed = now - state.WindowStart;
        var achieved = state.WindowCount > 0 && elapsed > TimeSpan.Zero ? elapsed / state.WindowCount : TimeSpan.Zero;
        var slower = Min(MaxThrottle, 2 * Max(Max(current, achieved), MinThrottle));
        return await pacing.RecordThrottleAsync(list.Id, slot.ReservedAt, now, slower, now + Max(options.ThrottleCooldown, slower), cancellationToken);
    }

    private static TimeSpan BaseInterval(MailingList list) =>
        list.RatePerMinute is { } rate && rate > 0 ? TimeSpan.FromMinutes(1) / rate : TimeSpan.Zero;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
