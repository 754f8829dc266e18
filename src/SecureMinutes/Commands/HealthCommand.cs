using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Health;

namespace SecureMinutes.Commands;

/// <summary><c>health</c>: can this installation work (database, vault)? One line per check; exit 0 when all pass, 1 otherwise (for scripts and monitors).</summary>
public static class HealthCommand
{
    public static Command Build()
    {
        var command = new Command("health", "Check that the database answers and the vault opens: exit 0 if so, 1 if not (for scripts and monitors)");
        command.SetHandler(async (ParseResult parse, InstallationHealth health, CliConsole console, CancellationToken cancellationToken) =>
        {
            var checks = await health.CheckAsync(cancellationToken);
            foreach (var check in checks)
            {
                await console.Out.WriteLineAsync($"{(check.Ok ? "ok  " : "FAIL")}  {check.Name,-8}  {check.Detail}");
            }

            return checks.All(c => c.Ok) ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }
}
