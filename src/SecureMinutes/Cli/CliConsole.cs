namespace SecureMinutes.Cli;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, notes, warnings and progress to <see cref="Error"/>.
/// Both escape control and bidi characters (<see cref="TerminalWriter"/>): what a command prints often
/// comes from strangers (user ids, file names, provider answers).
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Out { get; } = TerminalWriter.Wrap(output);

    public TextWriter Error { get; } = TerminalWriter.Wrap(error);

    /// <summary>Progress bars go to stderr, and only when a person is watching it.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>stderr without escaping, for the progress bar's own escape sequences (its texts are escaped by Spectre's markup).</summary>
    internal TextWriter ProgressTerminal { get; } = error;

    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
