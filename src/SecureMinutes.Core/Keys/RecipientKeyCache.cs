using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys.Packets;

namespace SecureMinutes.Keys;

/// <summary>
/// Members' encryption subkeys made ready to wrap session keys (<see cref="RecipientKey"/>: parsed, and for RSA
/// imported into OpenSSL), kept by a long-running worker because members receive every submission: parsing a
/// certificate (~30 µs) and importing an RSA key into OpenSSL (~0.3 ms) are then paid once per key and process, not
/// once per message.
/// <para>
/// Keyed by the SHA-256 of the exact certificate bytes stored for the member, computed here from the bytes given
/// (never taken from a caller): a member whose key changes, or whose certificate gains a signature, gets a new entry,
/// and a stale entry can never be used for other bytes. Bounded: the least recently used entries go beyond
/// <c>capacity</c> (about 1.4 KB each, OpenSSL's key included), and everything goes with the process. A list larger
/// than the capacity, sent in the same order each time, finds none of its keys (each is evicted before its next use):
/// it costs what a first send costs, and memory stays independent of the list's size. Only public keys are
/// held. Safe to use from several threads at once.
/// </para>
/// </summary>
public sealed class RecipientKeyCache
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<CertificateHash, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();

    /// <param name="capacity">How many certificates are kept at most (the least recently used go first); at least 1.</param>
    public RecipientKeyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many certificates are held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The subkeys <paramref name="keyIds"/> of <paramref name="certificate"/> (the member's stored certificate, in
    /// OpenPGP binary form), ready to wrap session keys. The ids are the ones the key's judgement chose
    /// (<see cref="KeyState.EncryptionKeyIds"/>); an id the certificate does not hold throws
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public IReadOnlyList<RecipientKey> KeysFor(byte[] certificate, IReadOnlyList<long> keyIds)
    {
        var hash = CertificateHash.Of(certificate);
        var result = new RecipientKey[keyIds.Count];
        Entry? entry;
        lock (_gate)
        {
            if (_entries.TryGetValue(hash, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
            }

            entry = node?.Value;
        }

        // Parsing and importing happen outside the lock: two threads missing the same key at once both do it, and
        // the second one's result is simply dropped.
        entry ??= Add(hash, new Entry(hash));
        for (var i = 0; i < keyIds.Count; i++)
        {
            result[i] = entry.Get(keyIds[i], certificate);
        }

        return result;
    }

    private Entry Add(CertificateHash hash, Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(hash, out var existing))
            {
                return existing.Value;
            }

            _entries[hash] = _recency.AddFirst(entry);
            if (_entries.Count > _capacity)
            {
                // Not disposed: another thread may be encrypting with it right now. OpenSSL's key is freed by its
                // SafeHandle once the collector finds it unused.
                _entries.Remove(_recency.Last!.Value.Hash);
                _recency.RemoveLast();
            }

            return entry;
        }
    }

    /// <summary>One certificate's subkeys that were asked for so far (usually one, the encryption subkey).</summary>
    private sealed class Entry(CertificateHash hash)
    {
        private RecipientKey[] _keys = [];

        public CertificateHash Hash { get; } = hash;

        public RecipientKey Get(long keyId, byte[] certificate)
        {
            var keys = Volatile.Read(ref _keys);
            foreach (var key in keys)
            {
                if (key.KeyId == keyId)
                {
                    return key;
                }
            }

            var made = RecipientKey.For(new PgpPublicKeyRing(certificate).GetPublicKey(keyId)
                ?? throw new InvalidOperationException($"subkey {keyId:X16} is not in this certificate"));
            // Copy-on-write, so readers never lock; a key made twice by two threads at once is harmless.
            Volatile.Write(ref _keys, [.. keys, made]);
            return made;
        }
    }

    /// <summary>A SHA-256 as four machine words: a dictionary key without a string per lookup.</summary>
    private readonly record struct CertificateHash(ulong A, ulong B, ulong C, ulong D)
    {
        public static CertificateHash Of(ReadOnlySpan<byte> certificate)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(certificate, hash);
            var words = MemoryMarshal.Cast<byte, ulong>(hash);
            return new CertificateHash(words[0], words[1], words[2], words[3]);
        }
    }
}
