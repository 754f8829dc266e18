using SecureMinutes.Keys;

namespace SecureMinutes.Keyring;

/// <summary>One line of a bulk import's report: a key and what became of it (added, updated, unchanged, refused: why).</summary>
public sealed record ImportRow(string Status, string? Email, Fingerprint? Fingerprint, string Detail, string Origin)
{
    public const string Refused = "refused";

    public bool IsRefused => Status == Refused;
}
