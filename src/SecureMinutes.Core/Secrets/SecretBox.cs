using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureMinutes.Secrets;

/// <summary>
/// Seals small blobs (minutes, list secret keys) with AES-256-GCM under the data dir's master key.
/// The <c>purpose</c> is bound as associated data, so a sealed blob cannot be moved to another row
/// (a submission's payload cannot be replayed as another's, a list key cannot be swapped).
/// Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
/// <para>
/// Sealing uses .NET's <see cref="AesGcm"/> (OpenSSL); opening uses BouncyCastle's <see cref="GcmBlockCipher"/> over its
/// AES-NI engine. Both are AES-256-GCM (NIST SP 800-38D), so either opens what the other sealed. Why two: .NET's
/// <see cref="AesGcm"/> hands the key to OpenSSL again on every call, and that key set-up was two-thirds of opening a
/// sealed member directory (dotnet-trace of <c>member list</c> on 10,000 members: 0.5 s of CPU in
/// <c>EvpCipherSetKeyAndIV</c> for 50,000 small values, ~10 µs each once two threads open at once, against ~1 µs for the
/// whole open here). BouncyCastle keeps the key schedule and the GHASH key per thread, and only the nonce and the
/// associated data change per value (issue 12: everyday commands within a second on 10,000 members).
/// </para>
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

    // The GCM cipher this thread opens with, keyed once for the box it belongs to (see the class's remarks).
    [ThreadStatic]
    private static (SecretBox Owner, GcmBlockCipher Gcm)? t_opener;

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

    /// <summary>Opens a blob sealed by <see cref="Seal"/> for the same <paramref name="purpose"/>.</summary>
    /// <exception cref="CryptographicException">Not a sealed blob of a known version, sealed for another purpose, or altered.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedBlob, string purpose)
    {
        if (sealedBlob.Length < 1 + NonceSize + TagSize || sealedBlob[0] != Version)
        {
            throw new CryptographicException("Not a sealed blob of a known version.");
        }

        var nonce = sealedBlob.Slice(1, NonceSize).ToArray();
        var tag = sealedBlob.Slice(1 + NonceSize, TagSize);
        var ciphertext = sealedBlob[(1 + NonceSize + TagSize)..];
        var plaintext = new byte[ciphertext.Length];
        var gcm = Opener(out var keyed);
        try
        {
            // A null key keeps the one this thread's cipher was set up with (BouncyCastle's GcmBlockCipher.Init).
            gcm.Init(false, new AeadParameters(keyed ? null! : new KeyParameter(_key), TagSize * 8, nonce, System.Text.Encoding.UTF8.GetBytes(purpose)));
            // GCM takes the tag after the ciphertext; the plaintext comes out as whole blocks, the rest at DoFinal.
            var written = gcm.ProcessBytes(ciphertext, plaintext);
            written += gcm.ProcessBytes(tag, plaintext.AsSpan(written));
            gcm.DoFinal(plaintext.AsSpan(written));
            return plaintext;
        }
        catch (InvalidCipherTextException)
        {
            // Nothing unauthenticated leaves, and the cipher is set up afresh next time.
            CryptographicOperations.ZeroMemory(plaintext);
            t_opener = null;
            throw new AuthenticationTagMismatchException("The sealed blob was altered, or sealed for another purpose.");
        }
    }

    private GcmBlockCipher Opener(out bool keyed)
    {
        if (t_opener is { } opener && ReferenceEquals(opener.Owner, this))
        {
            keyed = true;
            return opener.Gcm;
        }

        var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        t_opener = (this, gcm);
        keyed = false;
        return gcm;
    }
}
