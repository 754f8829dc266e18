using System.Globalization;
using System.Text;

namespace SecureMinutes.Benchmarks;

/// <summary>The printed table: one Markdown row per measurement, section by section, plus notes; also written to a file.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public void Section(string title, params string[] columns)
    {
        Line("");
        Line($"### {title}");
        Line("");
        Line("| " + string.Join(" | ", columns) + " |");
        Line("|" + string.Concat(columns.Select(_ => "---|")));
    }

    public void Row(params object[] cells) => Line("| " + string.Join(" | ", cells.Select(Format)) + " |");

    public void Note(string text) => Line($"\n{text}");

    public void Line(string text)
    {
        Console.WriteLine(text);
        _text.AppendLine(text);
    }

    public override string ToString() => _text.ToString();

    public static string Format(object cell) => cell switch
    {
        double d when d >= 100 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.0#", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };
}
