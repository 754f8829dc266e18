using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Keyring;

/// <summary>One member in <c>keys check</c>: the state of their key, whether it is verified, and whether they can be sent mail now.</summary>
public sealed record MemberHealth(MemberEntry Member, KeyState Key, string State, int? DaysLeft, bool CanReceive, string? Problem);

/// <summary>
/// The health of a list's keyring (<c>keys check</c>): each member's key is usable, expiring within the
/// window, expired, revoked or missing (no usable encryption key), and verified or not; a member who cannot
/// be sent mail (a dead key, or unverified on a list that requires verified keys) makes the check fail.
/// </summary>
public sealed record KeyringHealth(MailingList List, KeyState ListKey, IReadOnlyList<MemberHealth> Members)
{
    public const string Usable = "usable", Expiring = "expiring", Expired = "expired", Revoked = "revoked", Missing = "missing";

    public bool AllCanReceive => Members.All(m => m.CanReceive);

    public int Count(string state) => Members.Count(m => m.State == state);

    public int Unverified => Members.Count(m => !m.Member.IsVerified);

    /// <param name="listKey">The list's own key as judged now (<see cref="ListService.KeyStateAsync"/>).</param>
    /// <param name="members">The list's members with their keys as judged at <paramref name="now"/> (<see cref="Membership.ListAsync(MailingList, CancellationToken)"/>).</param>
    public static KeyringHealth Check(MailingList list, KeyState listKey, IReadOnlyList<MemberView> members, DateTimeOffset now, int expiringWithinDays)
    {
        var rows = members.Select(view =>
        {
            var (member, key, refusal) = (view.Member, view.Key, DeliveryEligibility.Refusal(view, list));
            var daysLeft = key.Expires is { } e && key.Status.CanReceive() ? (int)Math.Ceiling((e - now).TotalDays) : (int?)null;
            var state = key.Status switch
            {
                KeyStatus.Revoked => Revoked,
                KeyStatus.Expired => Expired,
                KeyStatus.NoEncryptionKey or KeyStatus.Invalid => Missing,
                _ when daysLeft <= expiringWithinDays => Expiring,
                _ => Usable,
            };
            return new MemberHealth(member, key, state, daysLeft, refusal is null, refusal?.Replace("not sent: ", "", StringComparison.Ordinal));
        }).ToList();
        return new KeyringHealth(list, listKey, rows);
    }
}
