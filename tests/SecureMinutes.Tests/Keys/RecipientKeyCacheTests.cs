using System.Globalization;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Security;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Packets;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>
/// Members' keys kept ready to encrypt to (<see cref="RecipientKeyCache"/>): bounded, the least recently used out first,
/// an entry used only for the very certificate bytes it was made from. It holds 2,000 keys, so a larger list evicts on
/// every submission (issue 12): eviction is an everyday path, not a corner.
/// </summary>
public sealed class RecipientKeyCacheTests
{
    private static (byte[] Certificate, long KeyId) Key(string fixture) =>
        (TestKeys.Fixture(fixture).GetEncoded(), long.Parse(TestKeys.Expected(fixture).EncryptionSubkeys[0][^16..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    [Fact]
    public void AFullCache_EvictsTheLeastRecentlyUsed_AndMakesAnEvictedKeyAgain_WhileKeysAlreadyHandedOutStillWrap()
    {
        var cache = new RecipientKeyCache(capacity: 2);
        var (rsa, rsaId) = Key("rsa3072");
        var (ed, edId) = Key("ed25519");
        var (sq, sqId) = Key("sq-cv25519");

        var rsaKey = cache.KeysFor(rsa, [rsaId]).Single();
        var edKey = cache.KeysFor(ed, [edId]).Single();
        Assert.Same(rsaKey, cache.KeysFor(rsa, [rsaId]).Single()); // kept, and now the most recently used
        var sqKey = cache.KeysFor(sq, [sqId]).Single(); // ed25519's goes: the least recently used

        Assert.Equal(2, cache.Count);
        Assert.Same(rsaKey, cache.KeysFor(rsa, [rsaId]).Single());
        var edAgain = cache.KeysFor(ed, [edId]).Single(); // made again from the certificate; sq-cv25519's goes
        Assert.NotSame(edKey, edAgain);
        Assert.Equal(edId, edAgain.KeyId);
        Assert.Equal(2, cache.Count);
        Assert.NotSame(sqKey, cache.KeysFor(sq, [sqId]).Single());

        // A key evicted while a copy is being encrypted with it still wraps that copy's session key.
        foreach (var key in new[] { rsaKey, edKey, sqKey })
        {
            var packet = new MemoryStream();
            using (var output = new BcpgOutputStream(packet))
            {
                key.WritePacket(output, new byte[19], new SecureRandom());
            }

            Assert.True(packet.ToArray().Length > 40, $"{key.Key.Algorithm}: no PKESK written");
        }
    }

    [Fact]
    public void AnEntry_IsFoundByTheCertificatesBytes_NotByTheArrayHoldingThem_AndOtherBytesGetTheirOwn()
    {
        var cache = new RecipientKeyCache(capacity: 10);
        var (ed, edId) = Key("ed25519");
        var first = cache.KeysFor(ed, [edId]).Single();

        Assert.Same(first, cache.KeysFor(ed.ToArray(), [edId]).Single());
        // The same certificate with an (empty) user id packet appended, as if it had gained one: another entry.
        var longer = cache.KeysFor([.. ed, 0xB4, 0x00], [edId]);
        Assert.NotSame(first, longer.Single());
        Assert.Equal(2, cache.Count);
    }
}
