using System.IO.Compression;
using Org.BouncyCastle.Bcpg;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// A Compressed Data packet (ZIP, i.e. raw DEFLATE: RFC 9580 §5.6) holding one binary Literal Data packet (§5.9):
/// what the encryption of every member's copy carries. Made once per batch (the signed minutes are the same for every
/// member), with .NET's zlib: BouncyCastle's managed DEFLATE takes several times longer for the same stream. gpg,
/// RNP, Sequoia, OpenPGP.js and BouncyCastle read it (the peer checks run on this output).
/// </summary>
public static class CompressedLiteral
{
    /// <summary>
    /// The compressed packet for the literal <paramref name="data"/>: binary ('b', RFC 9580 §5.9), unnamed, dated
    /// <paramref name="date"/>; binary so that every reader keeps the canonical CRLF line ends.
    /// </summary>
    public static byte[] Packet(DateTimeOffset date, ReadOnlySpan<byte> data)
    {
        using var deflated = new MemoryStream(data.Length / 3 + 64);
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            var literal = new BcpgOutputStream(deflate, PacketTag.LiteralData, 6 + (long)data.Length);
            var seconds = (uint)date.ToUnixTimeSeconds();
            literal.Write([(byte)PgpLiteralFormat.Binary, 0, (byte)(seconds >> 24), (byte)(seconds >> 16), (byte)(seconds >> 8), (byte)seconds]);
            // A packet of known length is written straight through. Not disposed (nor flushed): that would close the
            // DEFLATE stream early (or add a sync-flush block) before the final block is written.
            literal.Write(data);
        }

        using var packet = new MemoryStream((int)deflated.Length + 8);
        var compressed = new BcpgOutputStream(packet, PacketTag.CompressedData, 1 + deflated.Length);
        compressed.WriteByte((byte)CompressionAlgorithmTag.Zip);
        compressed.Write(deflated.GetBuffer(), 0, (int)deflated.Length);
        return packet.ToArray();
    }

    /// <summary>RFC 9580 §5.9's format octet for binary data.</summary>
    private enum PgpLiteralFormat : byte
    {
        Binary = (byte)'b',
    }
}
