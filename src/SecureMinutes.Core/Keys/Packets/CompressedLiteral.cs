using System.IO.Compression;
using Org.BouncyCastle.Bcpg;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// A Compressed Data packet (ZIP, i.e. raw DEFLATE: RFC 9580 §5.6) holding one binary Literal Data packet
/// (§5.9), assembled from DEFLATE segments so that the part every member shares is compressed once per batch.
/// <para>
/// A DEFLATE stream is a sequence of blocks (RFC 1951 §3.2.3). A segment compressed on its own and ended with a
/// sync flush (an empty stored block, so it ends on a byte boundary, with no "final" bit) refers to nothing
/// before it, so segments can be laid end to end: only the last one is finished with the final block. The
/// per-member segments (packet header and headers before the shared body, the signature after it) are small;
/// the shared body (~20 KB of 60 KB) is compressed once. Readers see one ordinary DEFLATE stream; gpg, RNP,
/// Sequoia and BouncyCastle read it (the peer checks run on this output).
/// </para>
/// </summary>
public static class CompressedLiteral
{
    /// <summary>
    /// Compresses a part shared by every member into a segment that can stand between others
    /// (sync-flushed, not final).
    /// </summary>
    public static byte[] CompressShared(ReadOnlySpan<byte> data) => Segment(data, CompressionLevel.Optimal, final: false);

    /// <summary>
    /// The compressed packet for the literal data <c>before ∥ shared ∥ after</c>, where
    /// <paramref name="sharedCompressed"/> is <see cref="CompressShared"/>'s output for
    /// <paramref name="sharedLength"/> octets. The literal packet is binary ('b', RFC 9580 §5.9), unnamed, dated
    /// <paramref name="date"/>: binary so that every reader keeps the canonical CRLF line ends.
    /// </summary>
    public static byte[] Packet(DateTimeOffset date, ReadOnlySpan<byte> before, byte[] sharedCompressed, int sharedLength, ReadOnlySpan<byte> after)
    {
        var dataLength = (long)before.Length + sharedLength + after.Length;
        using var head = new MemoryStream(before.Length + 16);
        var literal = new BcpgOutputStream(head, PacketTag.LiteralData, 6 + dataLength);
        var seconds = (uint)date.ToUnixTimeSeconds();
        literal.Write([(byte)PgpLiteralFormat.Binary, 0, (byte)(seconds >> 24), (byte)(seconds >> 16), (byte)(seconds >> 8), (byte)seconds]);
        literal.Finish();
        head.Write(before);

        var first = Segment(head.GetBuffer().AsSpan(0, (int)head.Length), CompressionLevel.Fastest, final: false);
        var last = Segment(after, CompressionLevel.Fastest, final: true);
        using var packet = new MemoryStream(first.Length + sharedCompressed.Length + last.Length + 8);
        var compressed = new BcpgOutputStream(packet, PacketTag.CompressedData, 1 + (long)first.Length + sharedCompressed.Length + last.Length);
        compressed.WriteByte((byte)CompressionAlgorithmTag.Zip);
        compressed.Write(first);
        compressed.Write(sharedCompressed);
        compressed.Write(last);
        compressed.Finish();
        return packet.ToArray();
    }

    private static byte[] Segment(ReadOnlySpan<byte> data, CompressionLevel level, bool final)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        long length;
        using (var deflate = new DeflateStream(output, level, leaveOpen: true))
        {
            deflate.Write(data);
            // DeflateStream.Flush is zlib's Z_SYNC_FLUSH: pending output plus an empty stored block, byte-aligned.
            deflate.Flush();
            length = output.Length;
        }

        // Disposing added the final (empty) block: kept only for the last segment.
        return output.GetBuffer().AsSpan(0, final ? (int)output.Length : (int)length).ToArray();
    }

    /// <summary>RFC 9580 §5.9's format octet for binary data.</summary>
    private enum PgpLiteralFormat : byte
    {
        Binary = (byte)'b',
    }
}
