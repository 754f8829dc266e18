namespace SecureMinutes.Accounts;

/// <summary>
/// What an account may do on one list. A note-taker sends minutes and follows their delivery; a list admin
/// also manages members, keys and settings. An installation admin is a list admin of every list.
/// </summary>
public enum ListRole
{
    NoteTaker,
    Admin,
}

public static class ListRoles
{
    public static string ToText(this ListRole role) => role == ListRole.Admin ? "admin" : "note-taker";

    /// <summary><c>admin</c> or <c>note-taker</c>, as typed after <c>--role</c>.</summary>
    /// <exception cref="UserFacingException">Anything else.</exception>
    public static ListRole Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "admin" => ListRole.Admin,
        "note-taker" or "notetaker" or "note_taker" => ListRole.NoteTaker,
        _ => throw new UserFacingException($"--role must be admin or note-taker (not '{text}')"),
    };

    /// <summary>True when <paramref name="held"/> allows what <paramref name="required"/> allows.</summary>
    public static bool Allows(this ListRole held, ListRole required) => held >= required;
}
