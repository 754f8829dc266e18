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

    public static Fingerprint Of(PgpPublicKey key) => new(Convert.ToHexString(key.GetFingerprint()));

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
