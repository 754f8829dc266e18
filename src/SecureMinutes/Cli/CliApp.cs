using System.CommandLine;
using SecureMinutes.Commands;

namespace SecureMinutes.Cli;

/// <summary>
/// The command line: <c>secureminutes [--data-dir DIR] VERB ...</c>. Every failure ends as one line on
/// stderr (<c>error: ...</c>) and a non-zero exit code; see <see cref="ExitCodes"/>.
/// </summary>
public static class CliApp
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Where the database and key material live (default: $SECUREMINUTES_DATA_DIR, else ~/.local/share/secureminutes)",
        Recursive = true,
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "postgres://user:password@host:5432/db for application data and jobs, shared by several workers (default: $SECUREMINUTES_DB, else SQLite in the data dir)",
        Recursive = true,
    };

    public static readonly Option<string?> By = new("--by")
    {
        Description = "Who makes this change, for the key audit log (default: your user name on this machine)",
        Recursive = true,
    };

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SecureMinutes: send meeting minutes to every member of a list, end-to-end encrypted (OpenPGP, PGP/MIME).");
        root.Options.Add(DataDir);
        root.Options.Add(Db);
        root.Options.Add(By);
        root.Subcommands.Add(ListCommands.Build());
        root.Subcommands.Add(MemberCommands.Build());
        root.Subcommands.Add(KeyCommands.Build());
        root.Subcommands.Add(KeysCommands.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(ProviderCommands.Build());
        root.Subcommands.Add(PrepareCommand.Build());
        root.Subcommands.Add(SubmitCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(RetentionCommands.Purge());
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(UserCommands.Build());
        root.Subcommands.Add(InviteCommands.Build());
        root.Subcommands.Add(ServerCommands.Serve());
        root.Subcommands.Add(ServerCommands.Worker());
        root.Subcommands.Add(HealthCommand.Build());
        root.Subcommands.Add(BackupCommands.Backup());
        root.Subcommands.Add(BackupCommands.Restore());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Response files (@FILE) are off: an argument starting with @ is a value like any other, never a file read in its place.
        var parseResult = BuildRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0)
        {
            var command = string.Join(' ', parseResult.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1)
                .Select(c => c.Name).Append(parseResult.CommandResult.Command.Name));
            await Console.Error.WriteLineAsync($"error: {OneLine(parseResult.Errors[0].Message)} (see: secureminutes {command} --help)");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a command body, turning failures into one line and an exit code (<see cref="ExitCodes"/>); commands that need services use <see cref="CommandBinding"/>.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await body(parseResult, cancellationToken);
            }
            catch (UserFacingException ex)
            {
                await Console.Error.WriteLineAsync($"error: {OneLine(ex.Message)}");
                return ExitCodes.Error;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("error: cancelled; anything already handed to the provider is recorded, the rest stays queued");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex)
            {
                await Console.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (this is a bug, please report it)");
                if (Environment.GetEnvironmentVariable("SECUREMINUTES_DEBUG") == "1")
                {
                    await Console.Error.WriteLineAsync(ex.ToString());
                }

                return ExitCodes.Internal;
            }
        });

    /// <summary>A message as one printable line: its own lines joined, and any control or bidi character escaped (messages quote file names and user ids).</summary>
    private static string OneLine(string text) => TerminalText.Escape(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim());
}
