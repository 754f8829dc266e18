using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>An OpenPGP v4 fingerprint as upper-case hex: the identity of a key everywhere in SecureMinutes.</summary>
public readonly record struct Fingerprint
{
    public Fingerprint(string hex)
    {
        var normalized = hex.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        // "0x…" as gpg prints key ids; "openpgp4fpr:…" is what OpenKeychain shares (QR code, "share fingerprint").
        foreach (var prefix in (string[])["0X", "OPENPGP4FPR:"])
        {
            if (normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                normalized = normalized[prefix.Length..];
            }
        }

        if (normalized.Length != 40 || !normalized.All(Uri.IsHexDigit))
        {
            throw new UserFacingException($"'{hex}' is not an OpenPGP v4 fingerprint (40 hex digits)");
        }

        Hex = normalized;
    }

    public string Hex { get; }

    /// <summary>The fingerprint of a v4 key.</summary>
    /// <exception cref="UserFacingException">A key of another version: v3 keys (MD5 fingerprints, broken since the 1990s) and v5/v6 keys are not read.</exception>
    public static Fingerprint Of(PgpPublicKey key) => key.Version == 4
        ? new(Convert.ToHexString(key.GetFingerprint()))
        : throw new UserFacingException(FormattableString.Invariant(
            $"version {key.Version} keys are not supported (key id {key.KeyId:X16}): only OpenPGP v4 keys can be used, as Thunderbird and GnuPG 2.2 read only those"));

    /// <summary>Grouped in fours as people read them aloud to compare: <c>ABCD 1234 …</c>.</summary>
    public string Grouped
    {
        get
        {
            var hex = Hex;
            return string.Join(' ', Enumerable.Range(0, hex.Length / 4).Select(i => hex.Substring(i * 4, 4)));
        }
    }

    public override string ToString() => Hex;
}
