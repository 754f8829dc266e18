using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// The armored OpenPGP message one member receives (RFC 9580 §10.3): a fresh AES-256 session key wrapped for each of
/// that member's encryption subkeys (<see cref="RecipientKey"/>: one PKESK v3 each, nobody else's), then the packets
/// every member shares encrypted with it (<see cref="IntegrityProtectedData"/>), armored (<see cref="MessageArmor"/>).
/// <para>
/// The binary message is assembled in one pooled buffer (the ciphertext written straight into it) and armored from
/// there into the one array the mail keeps; the session key lives on the stack and in one small array, both wiped.
/// A member holding a subkey only BouncyCastle's generator can wrap (see <see cref="RecipientKey.CanWrap"/>) gets the
/// same packets from that generator instead.
/// </para>
/// </summary>
public static class MemberEncryption
{
    // BouncyCastle's SecureRandom over .NET's generator: thread-safe, and one instance spares ~5 µs per member.
    private static readonly SecureRandom Random = new();

    /// <summary>
    /// Encrypts <paramref name="packets"/> (one compressed data packet) to exactly <paramref name="keys"/> and returns the
    /// armored message. Throws <see cref="ArgumentException"/> when no key is given: nothing is ever sent unencrypted.
    /// </summary>
    public static byte[] EncryptArmored(ReadOnlySpan<byte> packets, IReadOnlyList<RecipientKey> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("No recipient keys.", nameof(keys));
        }

        if (!keys.All(k => k.CanWrap))
        {
            return MessageArmor.Armor(WithGenerator(packets, keys));
        }

        Span<byte> sessionKey = stackalloc byte[32];
        var sessionInfo = new byte[sessionKey.Length + 3];
        byte[]? binary = null;
        try
        {
            RandomNumberGenerator.Fill(sessionKey);
            RecipientKey.SessionInfo(SymmetricKeyAlgorithmTag.Aes256, sessionKey, sessionInfo);
            using var sessionKeys = new MemoryStream(600 * keys.Count);
            var output = new BcpgOutputStream(sessionKeys); // not disposed: that would close the memory stream, harmless but pointless
            foreach (var key in keys)
            {
                key.WritePacket(output, sessionInfo, Random);
            }

            var keysLength = (int)sessionKeys.Length;
            var length = keysLength + IntegrityProtectedData.PacketLength(packets.Length);
            binary = ArrayPool<byte>.Shared.Rent(length + 16);
            sessionKeys.GetBuffer().AsSpan(0, keysLength).CopyTo(binary);
            IntegrityProtectedData.Write(binary.AsSpan(keysLength), sessionKey, packets);
            return MessageArmor.Armor(binary.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
            CryptographicOperations.ZeroMemory(sessionInfo);
            if (binary is not null)
            {
                ArrayPool<byte>.Shared.Return(binary);
            }
        }
    }

    /// <summary>BouncyCastle's generator, for keys we do not wrap ourselves: it draws and wraps its own session key.</summary>
    private static byte[] WithGenerator(ReadOnlySpan<byte> packets, IReadOnlyList<RecipientKey> keys)
    {
        using var output = new MemoryStream(packets.Length + 1024);
        var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, Random);
        foreach (var key in keys)
        {
            generator.AddMethod(key.Key);
        }

        using (RsaModulusCheck.SkipForValidatedKeys())
        using (var encrypted = generator.Open(output, packets.Length))
        {
            encrypted.Write(packets);
        }

        return output.ToArray();
    }
}
