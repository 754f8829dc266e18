namespace SecureMinutes.Keys;

/// <summary>Whether a member can be sent encrypted mail with their key, as shown to admins.</summary>
public enum KeyStatus
{
    Usable,
    ExpiringSoon,
    Expired,
    Revoked,
    NoEncryptionKey,
    Invalid,
}

public static class KeyStatusText
{
    public static string ToText(this KeyStatus status) => status switch
    {
        KeyStatus.Usable => "usable",
        KeyStatus.ExpiringSoon => "expiring soon",
        KeyStatus.Expired => "expired",
        KeyStatus.Revoked => "revoked",
        KeyStatus.NoEncryptionKey => "no encryption key",
        _ => "invalid",
    };

    public static bool CanReceive(this KeyStatus status) => status is KeyStatus.Usable or KeyStatus.ExpiringSoon;
}
