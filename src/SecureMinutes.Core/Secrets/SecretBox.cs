using System.Security.Cryptography;

namespace SecureMinutes.Secrets;

/// <summary>
/// Seals small blobs (minutes, list secret keys) with AES-256-GCM under the data dir's master key.
/// The <c>purpose</c> is bound as associated data, so a sealed blob cannot be moved to another row
/// (a submission's payload cannot be replayed as another's, a list key cannot be swapped).
/// Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;
    private readonly byte[] _macKey;

    // The last AES-GCM context this thread used, with the box it belongs to: setting one up costs more than opening a member's
    // address with it, and a listing opens tens of thousands (issue 17). AesGcm is not thread-safe, hence one per thread.
    [ThreadStatic]
    private static (SecretBox Owner, AesGcm Aes)? t_context;

    public SecretBox(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != 32)
        {
            throw new ArgumentException("The master key must be 32 bytes.", nameof(masterKey));
        }

        // A derived key, so the master key itself never touches user data.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "secureminutes/data/v1"u8.ToArray());
        _macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "secureminutes/mac/v1"u8.ToArray());
    }

    /// <summary>
    /// A keyed hash (HMAC-SHA256 under a key derived from the master key) of <paramref name="data"/> for
    /// <paramref name="purpose"/>: lets two equal contents be recognised without storing anything that confirms
    /// a guessed text to whoever reads the database (a plain hash would: hash the guess and compare).
    /// </summary>
    public string Mac(ReadOnlySpan<byte> data, string purpose)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _macKey);
        hmac.AppendData(System.Text.Encoding.UTF8.GetBytes(purpose));
        hmac.AppendData([0]);
        hmac.AppendData(data);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    private AesGcm Context()
    {
        if (t_context is { } context && ReferenceEquals(context.Owner, this))
        {
            return context.Aes;
        }

        t_context?.Aes.Dispose();
        var aes = new AesGcm(_key, TagSize);
        t_context = (this, aes);
        return aes;
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var sealedBlob = new byte[1 + NonceSize + TagSize + plaintext.Length];
        sealedBlob[0] = Version;
        var nonce = sealedBlob.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Context();
        aes.Encrypt(nonce, plaintext, sealedBlob.AsSpan(1 + NonceSize + TagSize), sealedBlob.AsSpan(1 + NonceSize, TagSize),
            System.Text.Encoding.UTF8.GetBytes(purpose));
        return sealedBlob;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedBlob, string purpose)
    {
        if (sealedBlob.Length < 1 + NonceSize + TagSize || sealedBlob[0] != Version)
        {
            throw new CryptographicException("Not a sealed blob of a known version.");
        }

        var plaintext = new byte[sealedBlob.Length - 1 - NonceSize - TagSize];
        var aes = Context();
        aes.Decrypt(sealedBlob.Slice(1, NonceSize), sealedBlob.Slice(1 + NonceSize + TagSize), sealedBlob.Slice(1 + NonceSize, TagSize),
            plaintext, System.Text.Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }
}
