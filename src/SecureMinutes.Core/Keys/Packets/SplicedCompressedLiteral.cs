using System.Buffers.Binary;
using System.IO.Compression;
using Org.BouncyCastle.Bcpg;

namespace SecureMinutes.Keys.Packets;

/// <summary>
/// The same packet as <see cref="CompressedLiteral"/> (a ZIP Compressed Data packet around one binary Literal Data
/// packet) for literals that share a long beginning and differ only at the end: a batch's signed minutes, where each
/// member's copy ends with its own footer and signature. The shared beginning is compressed once; per member only the
/// short end is compressed, so a copy costs microseconds, not the milliseconds of compressing the whole minutes again.
/// <para>
/// Two standard mechanisms make the halves join, and every reader handles both (the peer checks run on this output):
/// the literal packet's length is written as RFC 9580 §4.2.1.4 partial body lengths for the shared beginning (each
/// chunk a power of two, the first at least 512 octets) and one definite length for the member's end; and the shared
/// DEFLATE stream (RFC 1951) ends with a sync flush (.NET's <see cref="DeflateStream.Flush()"/>: byte-aligned, not
/// final), after which a member's end is a complete DEFLATE stream of its own, which cannot refer back to the shared
/// bytes, so the concatenation inflates to beginning + end.
/// </para>
/// </summary>
public sealed class SplicedCompressedLiteral
{
    private const byte LiteralTag = 0xC0 | (byte)PacketTag.LiteralData; // new-format header (RFC 9580 §4.2)
    private const int MinFirstChunk = 512;

    private readonly byte[] _sharedDeflated;
    private readonly byte[] _carried; // the shared bytes after the last whole chunk, sent with each member's end
    private readonly bool _headerWritten;

    /// <summary>Compresses the literal's shared beginning <paramref name="shared"/> (binary, unnamed, dated <paramref name="date"/>).</summary>
    public SplicedCompressedLiteral(DateTimeOffset date, ReadOnlySpan<byte> shared)
    {
        var seconds = (uint)date.ToUnixTimeSeconds();
        var body = new byte[6 + shared.Length];
        body[0] = (byte)'b';
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(2), seconds);
        shared.CopyTo(body.AsSpan(6));

        using var plain = new MemoryStream(body.Length + 16);
        var offset = 0;
        while (body.Length - offset >= MinFirstChunk)
        {
            // Largest power of two that fits: a handful of chunks, the first (the largest) at least 512 octets.
            var exponent = Math.Min(30, 31 - int.LeadingZeroCount(body.Length - offset));
            if (offset == 0)
            {
                plain.WriteByte(LiteralTag);
            }

            plain.WriteByte((byte)(224 + exponent));
            plain.Write(body, offset, 1 << exponent);
            offset += 1 << exponent;
        }

        _headerWritten = offset > 0;
        _carried = body[offset..];

        using var deflated = new MemoryStream(body.Length / 3 + 64);
        var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true);
        deflate.Write(plain.GetBuffer(), 0, (int)plain.Length);
        deflate.Flush(); // sync flush: byte-aligned, not the final block
        var flushedLength = (int)deflated.Length;
        deflate.Dispose(); // writes an empty final block, which is cut off below
        _sharedDeflated = deflated.GetBuffer()[..flushedLength];
    }

    /// <summary>The whole Compressed Data packet whose literal is the shared beginning followed by <paramref name="end"/>.</summary>
    public byte[] PacketWith(ReadOnlySpan<byte> end)
    {
        var finalLength = _carried.Length + end.Length;
        using var plain = new MemoryStream(finalLength + 8);
        if (!_headerWritten)
        {
            plain.WriteByte(LiteralTag);
        }

        WriteDefiniteLength(plain, finalLength);
        plain.Write(_carried);
        plain.Write(end);

        using var deflated = new MemoryStream(finalLength + 64);
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(plain.GetBuffer(), 0, (int)plain.Length);
        }

        var compressedLength = 1L + _sharedDeflated.Length + deflated.Length;
        using var packet = new MemoryStream((int)compressedLength + 8);
        var compressed = new BcpgOutputStream(packet, PacketTag.CompressedData, compressedLength);
        compressed.WriteByte((byte)CompressionAlgorithmTag.Zip);
        compressed.Write(_sharedDeflated);
        compressed.Write(deflated.GetBuffer(), 0, (int)deflated.Length);
        return packet.ToArray();
    }

    /// <summary>RFC 9580 §4.2.1.1–3: one, two or five octets.</summary>
    private static void WriteDefiniteLength(Stream output, int length)
    {
        if (length < 192)
        {
            output.WriteByte((byte)length);
        }
        else if (length <= 8383)
        {
            output.WriteByte((byte)(((length - 192) >> 8) + 192));
            output.WriteByte((byte)(length - 192));
        }
        else
        {
            Span<byte> five = [0xFF, 0, 0, 0, 0];
            BinaryPrimitives.WriteInt32BigEndian(five[1..], length);
            output.Write(five);
        }
    }
}
