using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;

namespace SecureMinutes.Lists;

/// <summary>
/// A member's key as judged now: from the judgement stored with the member when the key last changed
/// (<see cref="KeySummary"/>, time applied), or, when there is none for these exact key bytes (a database from before
/// summaries, a path that changed the key without one), by judging the key afresh with <see cref="KeyAssessor"/>.
/// Listings and <c>keys check</c> on 10,000 members then verify no signature at all.
/// </summary>
public static class MemberKeys
{
    public static KeyState StateOf(Member member, DateTimeOffset now) => SummaryOf(member, now).At(now);

    /// <summary>The stored summary when it belongs to the member's key, else a fresh judgement's (not stored here).</summary>
    public static KeySummary SummaryOf(Member member, DateTimeOffset now) =>
        member.KeySummary is { } stored && IsForKey(member, stored)
            ? stored
            : KeySummary.Of(KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), now), member.PublicKey);

    /// <summary>True when the member has no usable stored judgement (it will be judged on reading).</summary>
    public static bool NeedsJudging(Member member) => member.KeySummary is not { } stored || !IsForKey(member, stored);

    // The store checked it when it read the member (on every core), unless the member was copied with other values since.
    private static bool IsForKey(Member member, KeySummary stored) => member.CheckedSummary?.Vouches(member) == true || stored.IsFor(member.PublicKey);
}
