using System.Globalization;

namespace SecureMinutes.Cli;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, notes, warnings and progress to <see cref="Error"/>.
/// Both escape control and bidi characters (<see cref="TerminalWriter"/>): what a command prints often
/// comes from strangers (user ids, file names, provider answers).
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Out { get; } = TerminalWriter.Wrap(output);

    /// <summary>
    /// Writes a long result (a listing of thousands of lines) to <see cref="Out"/> in one piece, escaped the same way:
    /// stdout flushes every line, and 10,000 members' lines cost 10,000 writes (issue 12: everyday commands within a second).
    /// </summary>
    public async Task WriteBlockAsync(Func<TextWriter, Task> write)
    {
        await using var block = new StringWriter(CultureInfo.InvariantCulture) { NewLine = output.NewLine };
        await write(TerminalWriter.Wrap(block));
        if (ReferenceEquals(output, Console.Out))
        {
            // Console.Out writes through a buffer of a few hundred bytes: a megabyte would still take thousands of writes.
            await output.FlushAsync();
            await Console.OpenStandardOutput().WriteAsync(output.Encoding.GetBytes(block.ToString()));
            return;
        }

        await output.WriteAsync(block.ToString());
        await output.FlushAsync();
    }

    public TextWriter Error { get; } = TerminalWriter.Wrap(error);

    /// <summary>Progress bars go to stderr, and only when a person is watching it.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>stderr without escaping, for the progress bar's own escape sequences (its texts are escaped by Spectre's markup).</summary>
    internal TextWriter ProgressTerminal { get; } = error;

    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
