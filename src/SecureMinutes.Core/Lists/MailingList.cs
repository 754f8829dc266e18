using SecureMinutes.Keys;

namespace SecureMinutes.Lists;

/// <summary>A list: a name admins type, the address mail comes from, and the key that signs it.</summary>
public sealed record MailingList(
    long Id,
    string Name,
    string Address,
    string DisplayName,
    Fingerprint KeyFingerprint,
    byte[] PublicKey,
    DateTimeOffset CreatedAt)
{
    /// <summary>The domain part of the address: Message-IDs are minted there, never on this host's name.</summary>
    public string Domain => Address[(Address.LastIndexOf('@') + 1)..];

    public MimeKit.MailboxAddress Mailbox => new(DisplayName, Address);
}
