using SecureMinutes.Keys;
using SecureMinutes.Keys.Online;
using SecureMinutes.Lists;

namespace SecureMinutes.Keyring;

/// <summary>
/// What refreshing one member's key found: what each source answered, what merging the same key's newer
/// copies changed, and any different key published for their address (reported, never adopted).
/// </summary>
public sealed record MemberRefresh(
    Member Member,
    IReadOnlyList<FetchResult> Sources,
    KeyAssessment Before,
    KeyAssessment After,
    IReadOnlyList<string> Changes,
    IReadOnlyList<Fingerprint> OtherKeys,
    IReadOnlyList<Fingerprint> NewlySeenOtherKeys)
{
    public bool Updated => Changes.Count > 0;

    public bool BecameUsable => !Before.Status.CanReceive() && After.Status.CanReceive();

    public bool LostUsability => Before.Status.CanReceive() && !After.Status.CanReceive();

    public bool AllFailed => Sources.Count > 0 && Sources.All(s => s.Failure is not null);

    public string Result
    {
        get
        {
            var parts = new List<string>();
            if (Updated)
            {
                parts.Add("updated: " + string.Join("; ", Changes));
            }

            if (OtherKeys.Count > 0)
            {
                parts.Add($"different key online, not adopted: {string.Join(", ", OtherKeys.Select(k => k.Hex))} (add it with member add --replace if the member confirms it)");
            }

            if (parts.Count == 0)
            {
                parts.Add(AllFailed ? "not checked: every source failed"
                    : Sources.Any(s => s.Found) ? "unchanged"
                    : "not published anywhere asked");
            }

            return string.Join("; ", parts);
        }
    }
}
