using Spectre.Console;

namespace SecureMinutes.Cli;

/// <summary>Done/total of long work, shown on stderr.</summary>
public readonly record struct WorkProgress(int Done, int Total, string? Note = null);

/// <summary>A progress bar on stderr while copies go out when someone is watching; a line per change otherwise.</summary>
public static class ProgressView
{
    public static async Task<T> RunAsync<T>(CliConsole console, string title, bool quiet, Func<IProgress<WorkProgress>?, Task<T>> work)
    {
        if (quiet)
        {
            return await work(null);
        }

        if (!console.Interactive)
        {
            var last = -1;
            return await work(new Progress<WorkProgress>(p =>
            {
                if (p.Done != last)
                {
                    last = p.Done;
                    console.Error.WriteLine($"{title}: {p.Done}/{p.Total}{(p.Note is null ? "" : $" ({p.Note})")}");
                }
            }));
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.ProgressTerminal) });
        return await terminal.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask(Markup.Escape(title));
                var progress = new Progress<WorkProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape(TerminalText.Escape(p.Note is null ? title : $"{title} ({p.Note})"));
                });
                return await work(progress);
            });
    }
}
