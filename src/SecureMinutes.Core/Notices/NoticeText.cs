using System.Globalization;
using System.Resources;
using System.Text;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;

namespace SecureMinutes.Notices;

/// <summary>
/// The text of a mail the service writes itself (a notice to admins, a warning to a member, a challenge), in the
/// language its list speaks (<c>list set --language</c>, <see cref="MailingList.Language"/>). The words live in
/// the resources <c>NoticeResources.resx</c> (English) and <c>NoticeResources.fr.resx</c> (French): callers fill
/// <see cref="Sections"/> (one today: the list's language) with <see cref="NoticeSection.Say"/>, and a translator
/// changes words without touching code.
/// </summary>
public sealed class NoticeText
{
    /// <summary>A notice for a list that speaks <paramref name="language"/>.</summary>
    public NoticeText(ListLanguage language)
    {
        Language = language;
        Section = new NoticeSection(language == ListLanguage.French ? NoticeSection.French : NoticeSection.English);
    }

    /// <summary>The language this notice is sent in.</summary>
    public ListLanguage Language { get; }

    private NoticeSection Section { get; }

    /// <summary>
    /// The sections to fill, one per language the notice is sent in: today only the list's. (A sequence, so each
    /// notice is written once for any language and a bilingual notice would need no change in the callers.)
    /// </summary>
    public IEnumerable<NoticeSection> Sections => [Section];

    /// <summary>The notice as plain-text minutes, with its subject from the resource <paramref name="subjectKey"/> filled with <paramref name="arguments"/>.</summary>
    /// <exception cref="InvalidOperationException">No such resource (a programming error, caught by the notice tests).</exception>
    public MinutesDocument ToLocalizedDocument(string subjectKey, params object[] arguments) =>
        new(Section.Format(subjectKey, arguments), Section.Text);
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
