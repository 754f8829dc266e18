using System.Text;

namespace SecureMinutes.Cli;

/// <summary>
/// The last line of defence between untrusted text and the admin's terminal: everything a command writes
/// goes through <see cref="TerminalText.EscapeKeepingLines"/>, so no escape sequence, carriage return or
/// bidi control reaches the terminal even from a printer that forgot to escape a field. Line feeds are
/// kept (the program lays out its own lines); printers escape each untrusted field with
/// <see cref="TerminalText.Escape"/> so a field cannot add lines either.
/// </summary>
public sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter's setter takes null to mean the default.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public static TextWriter Wrap(TextWriter writer) => writer is TerminalWriter ? writer : new TerminalWriter(writer);

    public override void Write(char value)
    {
        if (value == '\n' || !TerminalText.IsUnsafe(value))
        {
            inner.Write(value);
        }
        else
        {
            inner.Write(TerminalText.Escape(value.ToString()));
        }
    }

    public override void Write(string? value) => inner.Write(value is null ? null : TerminalText.EscapeKeepingLines(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : TerminalText.EscapeKeepingLines(value));

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        inner.WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
