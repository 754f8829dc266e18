using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

/// <summary>
/// Verified keys: an admin read the fingerprint with the member, out of band (in person, on the phone, from
/// OpenKeychain's QR code), and records it here. Verification belongs to the fingerprint: pinning another key
/// undoes it, merging a newer copy of the same key keeps it.
/// </summary>
public sealed class MemberVerification(ListStore lists, MemberStore members, TimeProvider time)
{
    /// <summary>
    /// An admin confirmed with the member, out of band, the fingerprint of the key they hold: it must be exactly
    /// the pinned key's (40 hex digits; spaces and case do not matter). Returns false if it already was verified.
    /// </summary>
    public async Task<(Member Member, bool Changed)> VerifyAsync(string listName, string email, string fingerprint, string actor,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var given = new Fingerprint(fingerprint);
        var member = await members.FindAsync(list.Id, email, cancellationToken)
            ?? throw new UserFacingException($"{email} is not a member of {list.Name}");
        if (member.Fingerprint != given)
        {
            throw new UserFacingException($"{given.Grouped} is not the key pinned for {member.Email} ({member.Fingerprint.Grouped}): nothing verified; check with the member which key they hold");
        }

        if (member.IsVerified)
        {
            return (member, false);
        }

        var now = time.GetUtcNow();
        var audit = new AuditEntry(list.Id, now, actor, AuditActions.MemberVerified, member.Email, null, member.Fingerprint.Hex, "fingerprint confirmed out of band");
        if (!await members.SetVerifiedAsync(member.Id, member.Fingerprint, now, actor, audit, cancellationToken))
        {
            throw new UserFacingException($"the key of {member.Email} changed meanwhile: nothing verified, run the command again");
        }

        return (member with { VerifiedFingerprint = member.Fingerprint, VerifiedAt = now, VerifiedBy = actor }, true);
    }
}
