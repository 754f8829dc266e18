using System.Security.Cryptography;
using System.Text;

namespace SecureMinutes.Secrets;

/// <summary>
/// Seals the member directory at rest (issue 17): members' addresses, keys and fingerprints, and everywhere
/// they are copied (deliveries, the key audit, join requests, key notices) are stored sealed by the vault
/// (<see cref="SecretBox"/>: AES-256-GCM, the purpose bound as associated data), and looked up through keyed
/// blind indexes (<see cref="SecretBox.Mac"/>: HMAC-SHA256 under a key derived with HKDF from the vault key).
/// The database alone therefore names nobody, and shows neither how many lists one person is on (the index
/// is keyed by list: the same address on two lists gives two unrelated values) nor who shares a key.
/// <para>
/// Text columns hold <c>s1:</c> + Base64 of the sealed bytes; binary columns hold the sealed bytes themselves.
/// Reading is lenient: a text without the prefix, or bytes that are not a sealed blob (an OpenPGP packet never
/// starts with byte 1, <see cref="SecretBox"/>'s version), are returned as stored. That lets a few fixed
/// sentences (a delivery's "queued again…" detail) be written by SQL as they are, and keeps reading rows an older
/// version wrote during a rolling upgrade; the migration (<see cref="Storage.DirectoryMigration"/>) seals every
/// existing value once.
/// </para>
/// </summary>
public sealed class DirectorySealing(Vault vault)
{
    private const string TextPrefix = "s1:";

    /// <summary>
    /// The blind index of <paramref name="email"/> on list <paramref name="listId"/>: lower-case hex HMAC-SHA256 of the
    /// canonical address (<see cref="EmailAddress.Canonical"/>: case-insensitive, one value for every spelling of a domain),
    /// the list's id bound in. Equal for two spellings of one address on one list, unrelated across lists.
    /// </summary>
    public string Index(long listId, string email) => vault.Box.Mac(Encoding.UTF8.GetBytes(EmailAddress.Canonical(email)), $"member-index/{listId}");

    /// <summary>
    /// A keyed tag of a member's certificate bytes on one list, so a store can change a key only if it is still the
    /// one read (compare-and-set) without keeping the key, or a plain hash of it, in the clear.
    /// </summary>
    public string KeyTag(long listId, ReadOnlySpan<byte> publicKey) => vault.Box.Mac(publicKey, $"member-key/{listId}");

    /// <summary>A keyed tag of a fingerprint for one member (key notices remember which key they were about).</summary>
    public string FingerprintTag(long memberId, string fingerprintHex) => vault.Box.Mac(Encoding.UTF8.GetBytes(fingerprintHex.ToUpperInvariant()), $"member-fingerprint/{memberId}");

    /// <summary>Seals a text for a text column; <paramref name="purpose"/> names the row and column it belongs to.</summary>
    public string Seal(string value, string purpose) => TextPrefix + Convert.ToBase64String(vault.Box.Seal(Encoding.UTF8.GetBytes(value), purpose));

    public string? SealOrNull(string? value, string purpose) => value is null ? null : Seal(value, purpose);

    /// <summary>Opens a text sealed by <see cref="Seal"/> for the same purpose; a text stored as it is comes back unchanged.</summary>
    /// <exception cref="CryptographicException">The value was sealed for another purpose (moved between rows) or altered.</exception>
    public string Open(string stored, string purpose) => IsSealed(stored)
        ? Encoding.UTF8.GetString(vault.Box.Open(Convert.FromBase64String(stored[TextPrefix.Length..]), purpose))
        : stored;

    public string? OpenOrNull(string? stored, string purpose) => stored is null ? null : Open(stored, purpose);

    /// <summary>Seals bytes (a certificate) for a binary column.</summary>
    public byte[] SealBytes(ReadOnlySpan<byte> value, string purpose) => vault.Box.Seal(value, purpose);

    /// <summary>Opens bytes sealed by <see cref="SealBytes"/>; an OpenPGP certificate stored as it is comes back unchanged.</summary>
    public byte[] OpenBytes(byte[] stored, string purpose) => IsSealed(stored) ? vault.Box.Open(stored, purpose) : stored;

    /// <summary>Whether a text column's value is sealed (the migration seals only what is not yet).</summary>
    public static bool IsSealed(string? stored) => stored is not null && stored.StartsWith(TextPrefix, StringComparison.Ordinal);

    /// <summary>Whether a binary column's value is sealed: <see cref="SecretBox"/>'s version byte; OpenPGP packets start with bit 7 set.</summary>
    public static bool IsSealed(byte[]? stored) => stored is { Length: > 0 } && stored[0] == 1;
}
