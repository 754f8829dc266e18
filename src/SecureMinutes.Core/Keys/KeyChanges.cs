using System.Globalization;

namespace SecureMinutes.Keys;

/// <summary>What a merge changed for SecureMinutes, in words admins read: "expiry extended to …", "revoked …".</summary>
public static class KeyChanges
{
    public static IReadOnlyList<string> Between(KeyAssessment before, KeyAssessment after)
    {
        var changes = new List<string>();
        if (before.Status != after.Status)
        {
            changes.Add(after.Status.CanReceive()
                ? before.Status.CanReceive() ? $"now {after.Status.ToText()}" : $"usable again (was {before.Status.ToText()})"
                : $"{after.Status.ToText()}: {after.Problem}");
        }

        if (before.Expires != after.Expires && after.Status.CanReceive())
        {
            changes.Add((before.Expires, after.Expires) switch
            {
                (_, null) => "no longer expires",
                (null, { } until) => $"now expires on {Day(until)}",
                ({ } from, { } until) when until > from => $"expiry extended from {Day(from)} to {Day(until)}",
                ({ } from, { } until) => $"expiry brought forward from {Day(from)} to {Day(until)}",
            });
        }

        var beforeKeys = before.EncryptionKeys.Select(k => Fingerprint.Of(k).Hex).ToHashSet(StringComparer.Ordinal);
        var afterKeys = after.EncryptionKeys.Select(k => Fingerprint.Of(k).Hex).ToHashSet(StringComparer.Ordinal);
        foreach (var added in after.Subkeys.Where(s => s.IsUsableForEncryption && !beforeKeys.Contains(Fingerprint.Of(s.Key).Hex)))
        {
            changes.Add($"new encryption subkey {added.KeyId} ({added.Algorithm})");
        }

        if (after.Status.CanReceive())
        {
            foreach (var dropped in before.Subkeys.Where(s => s.IsUsableForEncryption && !afterKeys.Contains(Fingerprint.Of(s.Key).Hex)))
            {
                var now = after.Subkeys.FirstOrDefault(s => s.Key.KeyId == dropped.Key.KeyId);
                changes.Add($"subkey {dropped.KeyId} no longer used{(now?.Unusable is { } why ? $" ({why})" : "")}");
            }
        }

        foreach (var id in after.UserIds.Except(before.UserIds, StringComparer.Ordinal))
        {
            changes.Add($"new user id {id}");
        }

        foreach (var id in before.UserIds.Except(after.UserIds, StringComparer.Ordinal).Where(_ => after.UserIds.Count > 0))
        {
            changes.Add($"user id {id} withdrawn");
        }

        return changes;
    }

    private static string Day(DateTimeOffset time) => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
