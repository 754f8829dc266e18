using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// Checks a certification over a user id's raw bytes. BouncyCastle's <c>VerifyCertification(string, key)</c>
/// re-encodes the text as UTF-8, so a user id written in Latin-1 by an old PGP or GnuPG 1.x (valid, and
/// accepted by gpg, rnp and Sequoia) could never verify. The hashed data is what RFC 9580 §5.2.4 lays down
/// and what BouncyCastle itself feeds for a string: 0x99, the two-octet length and the primary key packet
/// body; for a v4 signature 0xB4 and the four-octet length before the user id octets; then the trailer.
/// </summary>
internal static class UserIdCertification
{
    /// <summary>True when <paramref name="signature"/> (already <c>InitVerify</c>'d with <paramref name="primary"/>) is good over <paramref name="rawUserId"/>.</summary>
    public static bool Verify(PgpSignature signature, byte[] rawUserId, PgpPublicKey primary)
    {
        var keyBody = primary.PublicKeyPacket.GetEncodedContents();
        signature.Update(0x99);
        signature.Update((byte)(keyBody.Length >> 8));
        signature.Update((byte)keyBody.Length);
        signature.Update(keyBody);
        if (signature.Version >= 4)
        {
            signature.Update(0xB4);
            signature.Update((byte)(rawUserId.Length >> 24));
            signature.Update((byte)(rawUserId.Length >> 16));
            signature.Update((byte)(rawUserId.Length >> 8));
            signature.Update((byte)rawUserId.Length);
        }

        signature.Update(rawUserId);
        return signature.Verify();
    }
}
