namespace SecureMinutes.Tests.Support;

/// <summary>One OpenPGP packet in a binary stream: its tag and where its body lies (RFC 9580 §4.2).</summary>
internal readonly record struct Packet(int Tag, int HeaderStart, int BodyStart, int BodyLength);

/// <summary>
/// A minimal, independent reader of OpenPGP packet framing (old and new format headers), used to check what
/// really is in an encoding without going through BouncyCastle's object model, and to damage packets on purpose.
/// </summary>
internal static class Packets
{
    public const int PublicKeyEncryptedSessionKey = 1;
    public const int Signature = 2;
    public const int SecretKey = 5;
    public const int PublicKey = 6;
    public const int SecretSubkey = 7;
    public const int UserId = 13;
    public const int PublicSubkey = 14;
    public const int SymmetricallyEncryptedIntegrityProtected = 18;

    public static IReadOnlyList<Packet> Walk(ReadOnlySpan<byte> data)
    {
        var packets = new List<Packet>();
        var offset = 0;
        while (offset < data.Length)
        {
            var header = data[offset];
            if ((header & 0x80) == 0)
            {
                throw new InvalidDataException($"Byte {offset} is not an OpenPGP packet header.");
            }

            int tag, bodyStart, length;
            if ((header & 0x40) != 0)
            {
                tag = header & 0x3F;
                var first = data[offset + 1];
                (bodyStart, length) = first switch
                {
                    < 192 => (offset + 2, first),
                    < 224 => (offset + 3, ((first - 192) << 8) + data[offset + 2] + 192),
                    255 => (offset + 6, (data[offset + 2] << 24) | (data[offset + 3] << 16) | (data[offset + 4] << 8) | data[offset + 5]),
                    _ => throw new InvalidDataException("Partial body lengths are not expected here."),
                };
            }
            else
            {
                tag = (header >> 2) & 0x0F;
                (bodyStart, length) = (header & 3) switch
                {
                    0 => (offset + 2, data[offset + 1]),
                    1 => (offset + 3, (data[offset + 1] << 8) | data[offset + 2]),
                    2 => (offset + 5, (data[offset + 1] << 24) | (data[offset + 2] << 16) | (data[offset + 3] << 8) | data[offset + 4]),
                    _ => (offset + 1, data.Length - offset - 1),
                };
            }

            packets.Add(new Packet(tag, offset, bodyStart, length));
            offset = bodyStart + length;
        }

        return packets;
    }
}
