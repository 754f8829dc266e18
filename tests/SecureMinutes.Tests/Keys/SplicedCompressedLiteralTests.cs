using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys.Packets;

namespace SecureMinutes.Tests.Keys;

/// <summary>The spliced packet reads, with BouncyCastle, as one compressed literal of the shared beginning and each end.</summary>
public class SplicedCompressedLiteralTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(100, 0)]
    [InlineData(505, 700)]       // below one chunk: the whole literal has one definite length
    [InlineData(506, 1)]         // exactly one 512-octet chunk with the literal's own 6 header octets
    [InlineData(70_000, 9_000)]  // several chunks, and a five-octet final length
    public void Packet_InflatesToTheSharedBeginningFollowedByTheEnd(int sharedLength, int endLength)
    {
        var shared = Enumerable.Range(0, sharedLength).Select(i => (byte)(i * 7)).ToArray();
        var date = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var spliced = new SplicedCompressedLiteral(date, shared);

        foreach (var seed in new[] { 1, 2 })
        {
            var end = Enumerable.Range(0, endLength).Select(i => (byte)(i * seed)).ToArray();
            var compressed = Assert.IsType<PgpCompressedData>(new PgpObjectFactory(spliced.PacketWith(end)).NextPgpObject());
            var factory = new PgpObjectFactory(compressed.GetDataStream());
            var literal = Assert.IsType<PgpLiteralData>(factory.NextPgpObject());
            using var data = new MemoryStream();
            literal.GetDataStream().CopyTo(data);

            Assert.Equal([.. shared, .. end], data.ToArray());
            Assert.Equal(date.UtcDateTime, literal.ModificationTime);
            Assert.Equal(PgpLiteralData.Binary, literal.Format);
            Assert.Null(factory.NextPgpObject());
        }
    }
}
