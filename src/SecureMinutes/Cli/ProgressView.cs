using SecureMinutes.Distribution;
using Spectre.Console;

namespace SecureMinutes.Cli;

/// <summary>A progress bar on stderr while copies go out, when someone is watching; silent otherwise.</summary>
public static class ProgressView
{
    public static async Task<T> RunAsync<T>(CommandContext context, string title, bool quiet, Func<IProgress<DeliveryProgress>?, Task<T>> work)
    {
        if (quiet || !context.Interactive)
        {
            return await work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask(Markup.Escape(title));
                var progress = new Progress<DeliveryProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                return await work(progress);
            });
    }
}
