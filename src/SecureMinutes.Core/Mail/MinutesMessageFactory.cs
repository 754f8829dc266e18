using System.Runtime.CompilerServices;
using MimeKit;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Mail;

/// <summary>
/// Builds the one PGP/MIME message a member receives (RFC 3156 §6.1: multipart/signed inside
/// multipart/encrypted), with RFC 9788 header protection that clients knowing only
/// <c>protected-headers="v1"</c> (Thunderbird, K-9) read too.
/// <para>
/// Signed per member, on purpose: RFC 9788 readers show only the protected (inner) headers, so the inner
/// part must carry this member's <c>To:</c>, and what is inside is what is signed. The body parts are built
/// and encoded once per submission (<see cref="MinutesPayload"/>), and everything else members share once per
/// batch (<see cref="Prepare"/>, <see cref="PreparedMinutes"/>); per member we add the header block, sign
/// (one Ed25519 signature) and encrypt to that member's encryption subkeys only.
/// </para>
/// </summary>
public sealed class MinutesMessageFactory(TimeProvider time)
{
    /// <summary>The outer Subject: RFC 9788 §5.2's placeholder for an obscured subject.</summary>
    public const string ObscuredSubject = "[...]";

    // Batches prepared through Create, one per signing context (a delivery batch opens one context and makes every
    // member's copy with it): callers that make one message at a time still share the batch's work. Entries go
    // with their context; several workers' batches at once each keep theirs.
    private readonly ConditionalWeakTable<ListPgpContext, PreparedBatch> _prepared = [];

    /// <summary>
    /// Does once what every member's message of this batch shares (see <see cref="PreparedMinutes"/>); then call
    /// <see cref="PreparedMinutes.CreateFor"/> per member. <paramref name="context"/> must hold the list's secret
    /// key and stay undisposed while the prepared minutes are used.
    /// </summary>
    public PreparedMinutes Prepare(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId) =>
        new(context, list, payload, messageId, time);

    /// <summary>One member's message; see <see cref="PreparedMinutes.CreateFor"/>.</summary>
    public MimeMessage Create(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId,
        MailboxAddress recipient, IEnumerable<PgpPublicKey> encryptionKeys)
    {
        if (!_prepared.TryGetValue(context, out var last) || !last.IsFor(list, payload, messageId))
        {
            last = new PreparedBatch(list, payload, messageId, Prepare(context, list, payload, messageId));
            _prepared.AddOrUpdate(context, last);
        }

        return last.Minutes.CreateFor(recipient, encryptionKeys);
    }

    private sealed record PreparedBatch(MailingList List, MinutesPayload Payload, string MessageId, PreparedMinutes Minutes)
    {
        public bool IsFor(MailingList list, MinutesPayload payload, string messageId) =>
            ReferenceEquals(Payload, payload) && List == list && MessageId == messageId;
    }
}
