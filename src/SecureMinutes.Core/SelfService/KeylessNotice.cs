using MimeKit;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.SelfService;

/// <summary>Why a member's key cannot receive the minutes, as the keyless notice tells them.</summary>
public enum KeylessReason
{
    /// <summary>The key (or every encryption subkey) expired.</summary>
    Expired,

    /// <summary>The key (or every encryption subkey) was revoked.</summary>
    Revoked,

    /// <summary>No usable encryption subkey for another reason (none at all, a refused algorithm, an invalid key).</summary>
    Unusable,
}

/// <summary>
/// Everything the keyless notice may say, and nothing else: the list, the member it goes to, the day the missed minutes
/// were sent, why the member's key cannot receive them, and the member's personal link to update it. It has no field for
/// any part of a submission (subject, text, attachments), so the one mail that goes out unencrypted cannot carry minutes
/// (<see cref="Mail.KeylessNoticeMessage"/>).
/// </summary>
/// <param name="MissedOn">When the missed minutes were sent (their submission's send time), shown as a date.</param>
/// <param name="Key">The member's pinned key, shown by fingerprint.</param>
/// <param name="ExpiredOn">For <see cref="KeylessReason.Expired"/>: when it expired, if known.</param>
/// <param name="UpdateLink">The member's personal link (update my key, leave), null when no public address is set.</param>
/// <param name="LinkExpires">Until when <paramref name="UpdateLink"/> works.</param>
public sealed record KeylessNotice(
    MailingList List, MailboxAddress Member, DateTimeOffset MissedOn, Fingerprint Key, KeylessReason Reason, DateTimeOffset? ExpiredOn,
    Uri? UpdateLink, DateTimeOffset? LinkExpires)
{
    /// <summary>The reason for a key judged unable to receive (<see cref="KeyStatusText.CanReceive"/> false).</summary>
    public static KeylessReason ReasonOf(KeyStatus status) => status switch
    {
        KeyStatus.Expired => KeylessReason.Expired,
        KeyStatus.Revoked => KeylessReason.Revoked,
        _ => KeylessReason.Unusable,
    };
}
