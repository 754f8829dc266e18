namespace SecureMinutes.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, notes, warnings and progress to <see cref="Error"/>.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Progress bars go to stderr, and only when a person is watching it.</summary>
    public bool Interactive { get; } = interactive;

    public static CliConsole System() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
