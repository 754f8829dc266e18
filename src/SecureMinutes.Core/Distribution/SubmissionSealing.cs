using System.Security.Cryptography;
using SecureMinutes.Secrets;

namespace SecureMinutes.Distribution;

/// <summary>
/// A submission's content as stored: the payload sealed under the submission's own key, and that key sealed by the
/// vault. <see cref="SealedKey"/> is null for a submission stored before issue 17, whose payload the vault sealed directly.
/// </summary>
public sealed record SealedContent(byte[] Payload, byte[]? SealedKey);

/// <summary>
/// Crypto-shredding of submissions: each payload is sealed (AES-256-GCM, <see cref="SecretBox"/>) under 32 random bytes
/// of its own, and only those bytes are sealed by the vault. Destroying the small key row makes the payload bytes
/// useless to anyone, the vault key's holder included, wherever else those bytes were copied to.
/// </summary>
/// <remarks>
/// Submissions stored before this existed are not re-sealed by their migration: migrations are SQL run when the
/// database is first opened, often by a command that never unlocks the vault (in passphrase mode it may not be able
/// to). Re-sealing later would protect nothing more: a backup made before still holds the vault-sealed bytes, and on
/// the live database shredding a legacy submission deletes its payload just as it deletes a key. So they stay
/// legacy (opened by the vault) until shredded by retention or <c>purge</c>.
/// </remarks>
public sealed class SubmissionSealing(Vault vault)
{
    /// <summary>Seals <paramref name="payload"/> for submission <paramref name="submissionId"/> under a fresh key of its own.</summary>
    public SealedContent Seal(string submissionId, ReadOnlySpan<byte> payload)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            return new SealedContent(new SecretBox(key).Seal(payload, PayloadPurpose(submissionId)), vault.Box.Seal(key, KeyPurpose(submissionId)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Opens what <see cref="Seal"/> made (or a legacy vault-sealed payload).</summary>
    /// <exception cref="CryptographicException">The bytes were not sealed for this submission, or were altered.</exception>
    public byte[] Open(string submissionId, SealedContent content)
    {
        if (content.SealedKey is null)
        {
            return vault.Box.Open(content.Payload, PayloadPurpose(submissionId));
        }

        var key = vault.Box.Open(content.SealedKey, KeyPurpose(submissionId));
        try
        {
            return new SecretBox(key).Open(content.Payload, PayloadPurpose(submissionId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static string PayloadPurpose(string submissionId) => $"submission-payload:{submissionId}";

    private static string KeyPurpose(string submissionId) => $"submission-key:{submissionId}";
}
