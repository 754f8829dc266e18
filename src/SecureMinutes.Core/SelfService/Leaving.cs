using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.SelfService;

/// <summary>
/// A member leaves the list with one tap on their personal link: their row (address and key) is deleted, with their
/// links and any key change they had asked for; the audit log keeps one line with the fingerprint and the date, and the
/// address is erased from its earlier lines and from past delivery records (<see cref="AddressErasure"/>).
/// </summary>
public sealed class Leaving(MemberLinks links, MemberStore members, AddressErasure erasure, TimeProvider time)
{
    /// <summary>Uses the link and removes its member; the list they left, or null when the link was unknown, used or expired.</summary>
    public async Task<MailingList?> LeaveAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await links.UseAsync(token, cancellationToken) is not var (member, list))
        {
            return null;
        }

        var audit = new AuditEntry(list.Id, time.GetUtcNow(), SelfServiceAudit.SelfActor, SelfServiceAudit.MemberLeft, MemberEmail: null,
            OldFingerprint: member.Fingerprint.Hex, NewFingerprint: null, Detail: "left the list through their personal link");
        if (await members.RemoveAsync(list.Id, member.Email, audit, cancellationToken))
        {
            await erasure.EraseAsync(list.Id, member.Id, member.Email, cancellationToken);
        }

        return list;
    }
}
