namespace SecureMinutes.Keyring;

/// <summary>What importing a key did to a list (or would do, in a dry run).</summary>
public enum KeyImportOutcome
{
    /// <summary>A new member, pinned to this key.</summary>
    Added,

    /// <summary>A newer copy of the member's own key: its new signatures, subkeys or revocation were merged.</summary>
    Merged,

    /// <summary>The member's own key, with nothing new in it.</summary>
    Unchanged,

    /// <summary>The member is pinned to a different key now (asked for with <c>--replace</c>).</summary>
    Replaced,
}

public static class KeyImportOutcomeText
{
    public static string ToText(this KeyImportOutcome outcome) => outcome switch
    {
        KeyImportOutcome.Added => "added",
        KeyImportOutcome.Merged => "updated",
        KeyImportOutcome.Unchanged => "unchanged",
        _ => "replaced",
    };
}
