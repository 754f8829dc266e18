using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>One (sub)key as shown before import: what it is, and whether mail will be encrypted to it and why not.</summary>
public sealed record InspectedKey(string KeyId, string Fingerprint, string Algorithm, DateTimeOffset Created, DateTimeOffset? Expires, string Usage, string Verdict, bool UsedForEncryption);

/// <summary>
/// What an admin needs to see before trusting a key (<c>key show</c>, <c>member add --dry-run</c>): the
/// fingerprint grouped in fours to compare with the member, user ids, algorithms and sizes, creation and
/// expiry, the subkeys mail will be encrypted to and why the others will not be used.
/// </summary>
public sealed record KeyInspection(KeyAssessment Key, string Origin, IReadOnlyList<InspectedKey> Keys)
{
    public static KeyInspection Of(FoundCertificate found, DateTimeOffset now)
    {
        // Judged as member add stores it (the key holder's own signatures only), so key show, --dry-run and add agree.
        var assessment = KeyAssessor.Assess(SelfSignatures.Only(found.Certificate), now, checkKeyMaterial: true);
        var keys = assessment.Subkeys.Count > 0
            ? assessment.Subkeys.Select(Inspect).ToList()
            // Refused as a whole (revoked, expired, no valid user id): list what the certificate holds anyway.
            : found.Certificate.GetPublicKeys().Cast<PgpPublicKey>().Select(k => Raw(k, assessment.Problem)).ToList();
        return new KeyInspection(assessment, found.Origin, keys);
    }

    public string StatusLine => Key.Status.CanReceive()
        ? $"{Key.Status.ToText()}, {(Key.Expires is { } e ? "expires " + Day(e) : "no expiry")}"
        : $"REFUSED: {TerminalText.Escape(Key.Problem)}";

    public IEnumerable<string> Lines()
    {
        yield return $"Key {Key.Fingerprint.Grouped}";
        yield return $"  From:        {TerminalText.Escape(Origin)}";
        yield return $"  Status:      {StatusLine}";
        var ids = Key.UserIds.Count == 0 ? ["(no valid user id)"] : Key.UserIds;
        for (var i = 0; i < ids.Count; i++)
        {
            var primary = ids.Count > 1 && ids[i] == Key.PrimaryUserId ? " (primary)" : "";
            yield return (i == 0 ? "  User ids:    " : "               ") + TerminalText.Escape(ids[i]) + primary;
        }

        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var label = i == 0 ? "  Primary:     " : i == 1 ? "  Subkeys:     " : "               ";
            var expiry = key.Expires is { } e ? $"expires {Day(e)}" : "no expiry";
            yield return $"{label}{key.KeyId} {key.Algorithm}, created {Day(key.Created)}, {expiry} [{key.Usage}]: {key.Verdict}";
        }

        var usable = Keys.Count(k => k.UsedForEncryption);
        yield return usable > 0
            ? $"  Mail to this key is encrypted to {usable} subkey{(usable > 1 ? "s" : "")} marked \"used for encryption\"."
            : "  No mail can be encrypted to this key.";
    }

    private static InspectedKey Inspect(SubkeyAssessment key) => new(
        key.KeyId, Fingerprint.Of(key.Key).Hex, key.Algorithm, key.Created, key.Expires, key.Usage,
        key.IsUsableForEncryption ? "used for encryption"
            : key.CanEncrypt || key.Unusable is not null ? $"not used: {key.Unusable}"
            : "not for encryption",
        key.IsUsableForEncryption);

    private static InspectedKey Raw(PgpPublicKey key, string? problem) => new(
        key.KeyId.ToString("X16", CultureInfo.InvariantCulture), Fingerprint.Of(key).Hex, KeyAlgorithmName.Of(key),
        new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc)), null, "-", $"not used: {problem}", false);

    private static string Day(DateTimeOffset time) => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
