using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>One (sub)key of a certificate as judged for encryption: usable, or the reason why not.</summary>
public sealed record SubkeyAssessment(
    PgpPublicKey Key,
    string KeyId,
    string Algorithm,
    DateTimeOffset Created,
    DateTimeOffset? Expires,
    bool CanEncrypt,
    string? Unusable)
{
    // RFC 9580 §5.2.3.29: 0x20 "may be used for authentication"; BouncyCastle's PgpKeyFlags has no name for it.
    private const int AuthenticationFlag = 0x20;

    /// <summary>The key flags of its latest valid self-signature (0 when it has none or names none).</summary>
    public int Flags { get; init; }

    public bool IsUsableForEncryption => CanEncrypt && Unusable is null;

    /// <summary>What the key holder declared the key for, as admins read it: "certify, sign", "encrypt".</summary>
    public string Usage
    {
        get
        {
            var uses = new List<string>();
            if ((Flags & PgpKeyFlags.CanCertify) != 0)
            {
                uses.Add("certify");
            }

            if ((Flags & PgpKeyFlags.CanSign) != 0)
            {
                uses.Add("sign");
            }

            if (CanEncrypt)
            {
                uses.Add("encrypt");
            }

            if ((Flags & AuthenticationFlag) != 0)
            {
                uses.Add("authenticate");
            }

            return uses.Count == 0 ? "no usage declared" : string.Join(", ", uses);
        }
    }

    public string Describe() =>
        FormattableString.Invariant($"{KeyId} {Algorithm} created {Created:yyyy-MM-dd}") +
        (Expires is { } e ? FormattableString.Invariant($", expires {e:yyyy-MM-dd}") : ", no expiry") +
        (Unusable is null ? "" : $" — not used: {Unusable}");
}
