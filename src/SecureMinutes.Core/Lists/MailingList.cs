using SecureMinutes.Keys;

namespace SecureMinutes.Lists;

/// <summary>A list: a name admins type, the address mail comes from, the key that signs it, and how it sends.</summary>
public sealed record MailingList(
    long Id,
    string Name,
    string Address,
    string DisplayName,
    Fingerprint KeyFingerprint,
    byte[] PublicKey,
    DateTimeOffset CreatedAt)
{
    /// <summary>Messages per minute across every worker (null: as fast as the provider takes them).</summary>
    public int? RatePerMinute { get; init; }

    /// <summary>Messages per UTC day, for providers with a daily quota (null: none).</summary>
    public int? DailyCap { get; init; }

    /// <summary>How many of the latest minutes a member who joins later receives (0: none).</summary>
    public int RedistributeLast { get; init; } = 1;

    /// <summary>Cron expression of the digest for members who opted in (null: no digest).</summary>
    public string? DigestCron { get; init; }

    /// <summary>Why sending is paused until an admin acts (bad password, untrusted certificate…), or null.</summary>
    public string? PausedReason { get; init; }

    public DateTimeOffset? PausedAt { get; init; }

    public bool IsPaused => PausedReason is not null;

    /// <summary>Members whose key no admin has verified (<c>member verify</c>) are sent nothing.</summary>
    public bool RequireVerified { get; init; }

    /// <summary>When the list's own key was revoked; it signs nothing more until <c>list key rotate</c>.</summary>
    public DateTimeOffset? KeyRevokedAt { get; init; }

    /// <summary>
    /// The stored judgement of the list's own key (<see cref="ListService.KeyStateAsync"/>), if any; it describes
    /// <see cref="PublicKey"/> only when <see cref="Keys.KeySummary.IsFor"/> says so (a rotation or revocation changes the key).
    /// </summary>
    public KeySummary? KeySummary { get; init; }

    /// <summary>The language of the list's notices, AG template and summary headings (fr by default).</summary>
    public ListLanguage Language { get; init; } = ListLanguage.French;

    /// <summary>The domain part of the address: Message-IDs are minted there, never on this host's name.</summary>
    public string Domain => Address[(Address.LastIndexOf('@') + 1)..];

    public MimeKit.MailboxAddress Mailbox => new(DisplayName, Address);
}
