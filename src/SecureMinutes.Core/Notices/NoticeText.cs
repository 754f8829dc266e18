using System.Globalization;
using System.Text;
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
    /// <summary>The French text.</summary>
    public NoticeSection Fr { get; } = new();

    /// <summary>The English text.</summary>
    public NoticeSection En { get; } = new();

    /// <summary>
    /// The notice as plain-text minutes: French, a blank line (and <paramref name="separator"/> when given), English;
    /// subject "<paramref name="frenchSubject"/> / <paramref name="englishSubject"/>".
    /// </summary>
    public MinutesDocument ToDocument(string frenchSubject, string englishSubject, string? separator = null) =>
        new($"{frenchSubject} / {englishSubject}", Render(separator));

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

/// <summary>The lines of a notice in one language. Values are formatted culture-invariantly (dates, numbers).</summary>
public sealed class NoticeSection
{
    private readonly StringBuilder _text = new();

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
