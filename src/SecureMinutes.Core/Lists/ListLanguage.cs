namespace SecureMinutes.Lists;

/// <summary>
/// The language a list speaks to its members and admins: the mails the service writes itself (notices, warnings,
/// reports) and, in the web app, the default for its pages. French is the default: the collectives this comes from
/// run their AGs in French. (The same type as issue 15's, which also makes the AG template follow it.)
/// </summary>
public enum ListLanguage
{
    French,
    English,
}

public static class ListLanguages
{
    /// <summary><c>fr</c> or <c>en</c> (also <c>fr-FR</c>, <c>french</c>, <c>français</c>…), as typed after <c>--language</c>.</summary>
    public static ListLanguage Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fr" or "fr-fr" or "fr_fr" or "french" or "français" or "francais" => ListLanguage.French,
        "en" or "en-gb" or "en-us" or "en_gb" or "en_us" or "english" or "anglais" => ListLanguage.English,
        _ => throw new UserFacingException($"--language must be fr or en (not '{text}')"),
    };

    /// <summary>The two-letter code stored in the database and shown by <c>list show</c>.</summary>
    public static string Code(this ListLanguage language) => language == ListLanguage.English ? "en" : "fr";

    /// <summary>Reads a stored code; anything unknown is French, the default.</summary>
    public static ListLanguage FromCode(string? code) => code == "en" ? ListLanguage.English : ListLanguage.French;
}
