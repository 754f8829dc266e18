using System.Text.RegularExpressions;

namespace SecureMinutes.Lists;

public static partial class ListNames
{
    public static string Validate(string? name)
    {
        var candidate = name?.Trim() ?? "";
        return ValidName().IsMatch(candidate)
            ? candidate
            : throw new UserFacingException($"'{name}' is not a valid list name: use 1-64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. ag-2026)");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
