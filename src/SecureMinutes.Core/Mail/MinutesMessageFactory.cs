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
/// Signed once per batch, encrypted per member: the signed inner part carries what every member shares (the
/// minutes, the real subject, date, sender, message id) and no member's address, so it is built, signed and
/// compressed once (<see cref="Prepare"/>, <see cref="PreparedMinutes"/>, where the remarks say why no <c>To:</c>
/// is protected); per member we wrap a fresh session key for that member's encryption subkeys only, encrypt, and
/// address the outer message to them.
/// </para>
/// </summary>
public sealed class MinutesMessageFactory(TimeProvider time)
{
    /// <summary>The outer Subject: RFC 9788 §5.2's placeholder for an obscured subject.</summary>
    public const string ObscuredSubject = "[...]";

    /// <summary>
    /// Does once what every member's message of this batch shares (see <see cref="PreparedMinutes"/>); then call
    /// <see cref="PreparedMinutes.CreateFor(MailboxAddress, IReadOnlyList{Keys.Packets.RecipientKey})"/> per member.
    /// <paramref name="context"/> must hold the list's secret key.
    /// </summary>
    public PreparedMinutes Prepare(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId) =>
        new(context, list, payload, messageId, time);

    /// <summary>
    /// The same, for copies that each end with their member's own footer (personal links, issue 11): then call
    /// <see cref="PreparedMinutes.CreateFor(MailboxAddress, IReadOnlyList{Keys.Packets.RecipientKey}, string, Keys.Packets.TextSignature)"/>
    /// per member, which signs that member's copy (see <see cref="MemberFooterSplice"/> for why and what it costs).
    /// </summary>
    public PreparedMinutes PrepareWithFooters(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId) =>
        new(context, list, payload, messageId, time, withFooters: true);

    /// <summary>One member's message alone (a batch of one): <see cref="Prepare"/>, then that member's copy.</summary>
    public MimeMessage Create(ListPgpContext context, MailingList list, MinutesPayload payload, string messageId,
        MailboxAddress recipient, IEnumerable<PgpPublicKey> encryptionKeys) =>
        Prepare(context, list, payload, messageId).CreateFor(recipient, encryptionKeys);
}
