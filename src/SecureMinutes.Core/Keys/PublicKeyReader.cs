using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// Reads the certificates in what a member sent: armored (one or several blocks, with any text around them)
/// or binary. Refuses secret keys outright: a member's secret key must never be stored by the list.
/// Signature blocks next to a key (a signed mail saved as text) carry no key and are passed over.
/// <para>
/// Budget, checked as packets are read so the work stays linear in the file: at most
/// <see cref="MaxCertificates"/> certificates in what one person gives, at most <see cref="MaxSubkeys"/>
/// subkeys and <see cref="MaxUserIds"/> user ids per certificate (each costs signature checks, an RSA-8192
/// subkey tens of milliseconds). Over any of them, the whole input is refused in one line.
/// </para>
/// </summary>
public static class PublicKeyReader
{
    /// <summary>Certificates in one file or mail: a whole assembly's keyring (50-250 members) is far below it.</summary>
    public const int MaxCertificates = 2000;

    /// <summary>Subkeys of one certificate: keys that rotated their encryption subkey yearly for decades stay below it.</summary>
    public const int MaxSubkeys = 32;

    /// <summary>User ids of one certificate: one per address a person uses, a few dozen at most.</summary>
    public const int MaxUserIds = 100;

    private const string ArmorBegin = "-----BEGIN PGP ";
    private const string ArmorEnd = "-----END PGP ";

    public static IReadOnlyList<PgpPublicKeyRing> Read(ReadOnlySpan<byte> data, string sourceName)
    {
        if (data.IsEmpty)
        {
            throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} is empty, not an OpenPGP key");
        }

        var rings = new List<PgpPublicKeyRing>();
        var text = Encoding.Latin1.GetString(data);
        if (text.Contains(ArmorBegin, StringComparison.Ordinal))
        {
            foreach (var block in ArmorBlocks(text).Where(b => !IsSignatureBlock(b)))
            {
                ReadPackets(Encoding.Latin1.GetBytes(block), sourceName, rings);
            }
        }
        else if (IsGnuPGKeybox(data))
        {
            throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} is GnuPG's own keyring database (pubring.kbx), not a key: export the keys with gpg --export --armor > keys.asc");
        }
        else
        {
            ReadPackets(data.ToArray(), sourceName, rings);
        }

        return rings.Count > 0 ? rings : throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} holds no OpenPGP public key");
    }

    /// <summary>
    /// The key revocations in a revocation certificate (what <c>gpg --gen-revoke</c>, GnuPG's
    /// <c>openpgp-revocs.d</c> and <c>sq revoke</c> write: revocation signatures and no key), or an empty list
    /// when the data is anything else. Whose key each revokes is for the caller to check.
    /// </summary>
    public static IReadOnlyList<PgpSignature> RevocationsIn(ReadOnlySpan<byte> data)
    {
        var text = Encoding.Latin1.GetString(data);
        var blocks = text.Contains(ArmorBegin, StringComparison.Ordinal)
            ? ArmorBlocks(text).Select(Encoding.Latin1.GetBytes).ToList()
            : [data.ToArray()];
        var revocations = new List<PgpSignature>();
        try
        {
            foreach (var block in blocks)
            {
                using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(block));
                var factory = new PgpObjectFactory(decoder);
                while (factory.NextPgpObject() is { } item)
                {
                    if (item is not PgpSignatureList signatures || signatures.Count == 0)
                    {
                        return [];
                    }

                    for (var i = 0; i < signatures.Count; i++)
                    {
                        if (signatures[i].SignatureType != PgpSignature.KeyRevocation)
                        {
                            return [];
                        }

                        revocations.Add(signatures[i]);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or PgpException or Org.BouncyCastle.Bcpg.UnsupportedPacketVersionException
            or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return [];
        }

        return revocations;
    }

    private static bool IsSignatureBlock(string block) =>
        block.StartsWith("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal)
        || block.StartsWith("-----BEGIN PGP SIGNED MESSAGE-----", StringComparison.Ordinal);

    private static IEnumerable<string> ArmorBlocks(string text)
    {
        var start = 0;
        while ((start = text.IndexOf(ArmorBegin, start, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf(ArmorEnd, start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), "the armored key block is cut short (no END line)");
            }

            var lineEnd = text.IndexOf('\n', end);
            var block = lineEnd < 0 ? text[start..] : text[start..(lineEnd + 1)];
            start = lineEnd < 0 ? text.Length : lineEnd + 1;
            yield return block;
        }
    }

    private static void ReadPackets(byte[] bytes, string sourceName, List<PgpPublicKeyRing> rings)
    {
        try
        {
            using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(bytes));
            var factory = new PgpObjectFactory(decoder);
            var found = false;
            while (factory.NextPgpObject() is { } item)
            {
                switch (item)
                {
                    case PgpPublicKeyRing ring:
                        CheckBudget(ring, sourceName, rings.Count + 1);
                        rings.Add(ring);
                        found = true;
                        break;
                    case PgpSecretKeyRing:
                        throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.SecretKey), $"{sourceName} is a SECRET key: send only the public key (never share your secret key)");
                    case PgpMarker:
                        break;
                    case PgpSignatureList signatures when signatures.Count > 0 && signatures[0].SignatureType == PgpSignature.KeyRevocation:
                        throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.RevocationCertificate), $"{sourceName} is a revocation certificate, not a public key: give it to member add for the member whose key it revokes");
                    default:
                        throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} holds OpenPGP data that is not a public key ({item.GetType().Name.Replace("Pgp", "", StringComparison.Ordinal)})");
                }
            }

            if (!found)
            {
                throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} holds no OpenPGP public key");
            }
        }
        // BouncyCastle reports packet versions it does not know (v5, damaged data) with its own exception type,
        // which derives from Exception directly.
        catch (Exception ex) when (ex is IOException or PgpException or Org.BouncyCastle.Bcpg.UnsupportedPacketVersionException
            or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.NotAKey), $"{sourceName} is not a readable OpenPGP public key ({FirstLine(ex.Message)})");
        }
    }

    private static void CheckBudget(PgpPublicKeyRing ring, string sourceName, int count)
    {
        var shown = TerminalText.Escape(sourceName);
        if (count > MaxCertificates)
        {
            throw new UserFacingException(FormattableString.Invariant(
                $"{shown} holds more than {MaxCertificates} keys, more than one import takes: split it (or export only the assembly's keys)"));
        }

        var primary = ring.GetPublicKey();
        var subkeys = ring.GetPublicKeys().Skip(1).Take(MaxSubkeys + 1).Count();
        var userIds = primary.GetRawUserIds().Take(MaxUserIds + 1).Count();
        if (subkeys > MaxSubkeys || userIds > MaxUserIds)
        {
            throw new UserFacingException(FormattableString.Invariant(
                $"{shown}: key {primary.KeyId:X16} has more than {(subkeys > MaxSubkeys ? $"{MaxSubkeys} subkeys" : $"{MaxUserIds} user ids")}, more than any key in use has: ask the member for a cleaned copy (gpg --export-options export-minimal --export)"));
        }
    }

    /// <summary>GnuPG 2.1+ keeps keys in a "keybox": a first blob whose bytes 8-11 are "KBXf".</summary>
    private static bool IsGnuPGKeybox(ReadOnlySpan<byte> data) => data.Length >= 12 && data[8..12].SequenceEqual("KBXf"u8);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
