using System.Security.Cryptography;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// Data hashed once (SHA-512) for several <see cref="TextSignature"/>s over data beginning with it. Safe to use from
/// several threads at once: each signature continues from its own copy of the hash state.
/// </summary>
public sealed class SignedPrefix
{
    private readonly Lock _gate = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);

    /// <summary>Hashes <paramref name="data"/> (kept, not copied: it must not change).</summary>
    public SignedPrefix(ReadOnlyMemory<byte> data)
    {
        Data = data;
        _hash.AppendData(data.Span);
    }

    /// <summary>The data itself (for keys BouncyCastle's generator signs: it hashes everything again).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    internal IncrementalHash CloneHash()
    {
        lock (_gate)
        {
            return _hash.Clone();
        }
    }
}
