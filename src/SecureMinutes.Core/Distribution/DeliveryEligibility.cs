using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Distribution;

/// <summary>
/// Whether a member may be sent a copy now: their pinned key can receive encrypted mail (not expired, not
/// revoked) and, on lists that require it, an admin verified it. Decided when a copy is created and again
/// just before it is sent; a member who fails it gets nothing, with the reason recorded for the admins.
/// </summary>
public static class DeliveryEligibility
{
    /// <summary>Judges the member's key afresh (every self-signature verified) and decides; see <see cref="Judge"/> for the cheap way.</summary>
    public static (KeyAssessment Key, string? Refusal) Check(Member member, MailingList list, DateTimeOffset now)
    {
        var key = KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), now);
        return (key, Refusal(member.IsVerified, member.Fingerprint, member.Email, list, key.Status, key.Problem));
    }

    /// <summary>
    /// The same decision from the judgement stored with the member when their key last changed (<see cref="MemberKeys"/>,
    /// passing time applied): no signature verified, microseconds per member. The send loop takes the keys to encrypt to
    /// from it with <see cref="KeyState.EncryptionKeysIn"/>.
    /// </summary>
    public static (KeyState Key, string? Refusal) Judge(Member member, MailingList list, DateTimeOffset now)
    {
        var key = MemberKeys.StateOf(member, now);
        return (key, Refusal(member.IsVerified, member.Fingerprint, member.Email, list, key.Status, key.Problem));
    }

    /// <summary>
    /// The same decision for a listing's member whose key was judged already (<see cref="MemberView"/>: <c>keys check</c>,
    /// the web Members page); null when they can be sent a copy, else why not, starting "not sent: ".
    /// </summary>
    public static string? Refusal(MemberView view, MailingList list) =>
        Refusal(view.Member.IsVerified, view.Member.Fingerprint, view.Member.Email, list, view.Key.Status, view.Key.Problem);

    private static string? Refusal(bool isVerified, Fingerprint fingerprint, string email, MailingList list, KeyStatus status, string? problem)
    {
        if (!status.CanReceive())
        {
            return $"not sent: {problem}";
        }

        return list.RequireVerified && !isVerified
            ? $"not sent: the list requires verified keys and no admin has verified {fingerprint.Hex} (secureminutes member verify {list.Name} {email} --fingerprint FPR)"
            : null;
    }
}
