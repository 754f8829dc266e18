using System.Globalization;
using System.Resources;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Notices;

/// <summary>
/// The text of a mail the service writes itself (a notice to admins, a warning to a member), built once per
/// language: today every notice goes out French first, then English (many of our lists are French-speaking).
/// Each language is its own <see cref="NoticeSection"/>, so a later step can send a list's notices in its
/// language only, or fill the sections from localized resources, without touching what each notice says.
/// </summary>
public sealed class NoticeText
{
    /// <summary>Both languages, French first: for notices not yet written for one list's language.</summary>
    public NoticeText()
    {
    }

    /// <summary>A notice for a list that speaks <paramref name="language"/> (<c>list set --language</c>): only that section is sent.</summary>
    public NoticeText(ListLanguage language) => Language = language;

    /// <summary>The one language this notice is sent in, or null: French then English.</summary>
    public ListLanguage? Language { get; }

    /// <summary>The French text.</summary>
    public NoticeSection Fr { get; } = new(NoticeSection.French);

    /// <summary>The English text.</summary>
    public NoticeSection En { get; } = new(NoticeSection.English);

    /// <summary>The sections this notice is sent with: its list's language, or both. Fill each with <see cref="NoticeSection.Say"/>.</summary>
    public IEnumerable<NoticeSection> Sections => Language switch
    {
        ListLanguage.French => [Fr],
        ListLanguage.English => [En],
        _ => [Fr, En],
    };

    /// <summary>The notice with its subject from the resources (<c>NoticeResources</c>, key <paramref name="subjectKey"/>): in the list's language, or "fr / en".</summary>
    public MinutesDocument ToLocalizedDocument(string subjectKey, params object[] arguments) =>
        ToDocument(Fr.Format(subjectKey, arguments), En.Format(subjectKey, arguments));

    /// <summary>
    /// The notice as plain-text minutes: French, a blank line (and <paramref name="separator"/> when given), English;
    /// subject "<paramref name="frenchSubject"/> / <paramref name="englishSubject"/>".
    /// </summary>
    public MinutesDocument ToDocument(string frenchSubject, string englishSubject, string? separator = null) => Language switch
    {
        ListLanguage.French => new(frenchSubject, Fr.Text),
        ListLanguage.English => new(englishSubject, En.Text),
        _ => new($"{frenchSubject} / {englishSubject}", Render(separator)),
    };

    /// <summary>The body alone: French, a blank line (and <paramref name="separator"/> when given), English.</summary>
    public string Render(string? separator = null)
    {
        var text = new StringBuilder(Fr.Text);
        text.AppendLine();
        if (separator is not null)
        {
            text.AppendLine(separator);
            text.AppendLine();
        }

        return text.Append(En.Text).ToString();
    }
}

/// <summary>
/// The lines of a notice in one language: written in code (<see cref="Line"/>), or read from the resources
/// <c>Notices/NoticeResources.resx</c> (English) and <c>NoticeResources.fr.resx</c> (French) with <see cref="Say"/>, so a
/// translator changes words without touching code. Values are formatted culture-invariantly; dates take the format
/// the resource gives them (<c>{0:dd/MM/yyyy}</c> in French, <c>{0:yyyy-MM-dd}</c> in English).
/// </summary>
public sealed class NoticeSection
{
    internal static readonly CultureInfo French = new("fr");
    internal static readonly CultureInfo English = new("en");
    private static readonly ResourceManager Resources = new("SecureMinutes.Notices.NoticeResources", typeof(NoticeSection).Assembly);
    private readonly StringBuilder _text = new();
    private readonly CultureInfo _culture;

    internal NoticeSection(CultureInfo culture) => _culture = culture;

    /// <summary>Adds the resource line <paramref name="key"/> in this section's language, filled with <paramref name="arguments"/>.</summary>
    /// <exception cref="InvalidOperationException">No such resource: a programming error, caught by the notice tests.</exception>
    public NoticeSection Say(string key, params object[] arguments)
    {
        _text.AppendLine(Format(key, arguments));
        return this;
    }

    /// <summary>Adds one "- item" line per element, each the resource <paramref name="key"/> filled with the element's values.</summary>
    public NoticeSection SayItems<T>(IEnumerable<T> items, string key, Func<T, object[]> arguments)
    {
        foreach (var item in items)
        {
            _text.Append("- ").AppendLine(Format(key, arguments(item)));
        }

        return this;
    }

    internal string Format(string key, object[] arguments)
    {
        var template = Resources.GetString(key, _culture) ?? throw new InvalidOperationException($"No notice text '{key}'.");
        return string.Format(CultureInfo.InvariantCulture, template, arguments);
    }

    internal string Text => _text.ToString();

    /// <summary>
    /// Adds a line; values in <paramref name="line"/> are formatted with the invariant culture. (Only a
    /// <see cref="FormattableString"/> overload: with a string one beside it, C# would pick that for
    /// <c>$"…"</c> and format with the machine's culture.)
    /// </summary>
    public NoticeSection Line(FormattableString line)
    {
        _text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Adds a command the reader can copy, indented.</summary>
    public NoticeSection Command(FormattableString command)
    {
        _text.Append("  ").AppendLine(command.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>Adds one "- item" line per element.</summary>
    public NoticeSection Items<T>(IEnumerable<T> items, Func<T, FormattableString> line)
    {
        foreach (var item in items)
        {
            _text.Append("- ").AppendLine(line(item).ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    /// <summary>Adds an empty line.</summary>
    public NoticeSection Blank()
    {
        _text.AppendLine();
        return this;
    }
}
