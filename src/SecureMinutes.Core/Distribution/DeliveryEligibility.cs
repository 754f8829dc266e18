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
    public static (KeyAssessment Key, string? Refusal) Check(Member member, MailingList list, DateTimeOffset now)
    {
        var key = KeyAssessor.Assess(new PgpPublicKeyRing(member.PublicKey), now);
        if (!key.Status.CanReceive())
        {
            return (key, $"not sent: {key.Problem}");
        }

        return list.RequireVerified && !member.IsVerified
            ? (key, $"not sent: the list requires verified keys and no admin has verified {member.Fingerprint.Hex} (secureminutes member verify {list.Name} {member.Email} --fingerprint FPR)")
            : (key, null);
    }
}
