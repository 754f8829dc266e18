namespace SecureMinutes.Minutes;

/// <summary>The subject line members see (inside the encryption): given, or the minutes' first heading.</summary>
public static class MinutesSubject
{
    public const int MaxLength = 200;

    public static string Choose(string? given, string text, DateTimeOffset now)
    {
        if (given is not null)
        {
            var cleaned = Clean(given);
            return cleaned.Length > 0 ? cleaned : throw new UserFacingException("the subject is empty");
        }

        var firstLine = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (firstLine.StartsWith('#'))
        {
            var heading = Clean(firstLine.TrimStart('#'));
            if (heading.Length > 0)
            {
                return heading;
            }
        }

        // Invariant: under a culture with another calendar (th-TH) "yyyy" would be 2569.
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Minutes of {now:yyyy-MM-dd}");
    }

    private static string Clean(string subject)
    {
        var singleLine = new string(subject.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        while (singleLine.Contains("  ", StringComparison.Ordinal))
        {
            singleLine = singleLine.Replace("  ", " ", StringComparison.Ordinal);
        }

        if (singleLine.Length <= MaxLength)
        {
            return singleLine;
        }

        // Never cut between the two halves of a surrogate pair (an emoji): a lone half becomes U+FFFD in the header.
        var cut = char.IsHighSurrogate(singleLine[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return singleLine[..cut].TrimEnd() + "…";
    }
}
