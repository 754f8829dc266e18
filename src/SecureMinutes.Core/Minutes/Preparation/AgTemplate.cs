using System.Globalization;
using SecureMinutes.Lists;

namespace SecureMinutes.Minutes.Preparation;

/// <summary>
/// The text an AG's minutes start from, in the list's language. The default one follows the brochure's AG: date
/// and place, the roles and who holds them (facilitation, speaking turns and time, vote counting, notes, welcome
/// at the door), the decision rule agreed at the start, the agenda, a section per item with its discussion and a
/// vote line in the fixed form <see cref="Votes.VoteParser"/> reads, tasks, the next AG. A list's own template
/// (<c>list set --template</c>) may use the same placeholders: <c>{{title}}</c> and <c>{{date}}</c>.
/// </summary>
public static class AgTemplate
{
    /// <summary>A template is a page or two; 256 KiB leaves room for a long standing agenda.</summary>
    public const long MaxBytes = 256 * 1024;

    /// <summary>The built-in template (an embedded resource) in French or English, placeholders unfilled.</summary>
    public static string Default(ListLanguage language)
    {
        var name = language == ListLanguage.English ? "ag-en.md" : "ag-fr.md";
        using var stream = typeof(AgTemplate).Assembly.GetManifestResourceStream($"SecureMinutes.Templates.{name}")
            ?? throw new InvalidOperationException($"The built-in template {name} is missing from the assembly.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The template with its placeholders filled: the title (default « AG du samedi 12 décembre 2026 ») and the date in words.</summary>
    public static string Fill(string template, DateOnly date, string? title, ListLanguage language)
    {
        var day = FormatDate(date, language);
        var heading = string.IsNullOrWhiteSpace(title)
            ? (language == ListLanguage.English ? $"General assembly, {day}" : $"AG du {day}")
            : CheckedTitle(title);
        return template.Replace("{{title}}", heading, StringComparison.Ordinal).Replace("{{date}}", day, StringComparison.Ordinal);
    }

    /// <summary>« samedi 12 décembre 2026 », "Saturday 12 December 2026" (the .NET cultures' month and day names).</summary>
    public static string FormatDate(DateOnly date, ListLanguage language) =>
        date.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo(language == ListLanguage.English ? "en-GB" : "fr-FR"));

    /// <summary>
    /// A template file as a person saved it: UTF-8 (a BOM is fine), CRLF made LF, at most <see cref="MaxBytes"/>.
    /// Each problem is one line; nothing is kept from a file that is refused.
    /// </summary>
    public static string ReadFile(string path)
    {
        var bytes = LocalFile.Read(path, MaxBytes, "templates");
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new UserFacingException($"{path} is empty: a template needs some text");
        }

        return MinutesFile.Decode(bytes, path);
    }

    private static string CheckedTitle(string title) =>
        title.Any(char.IsControl) || title.Length > 200
            ? throw new UserFacingException("--title must be one line of at most 200 characters")
            : title.Trim();
}
