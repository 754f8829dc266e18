using System.CommandLine;
using SecureMinutes.Cli;
using SecureMinutes.Doctor;

namespace SecureMinutes.Commands;

/// <summary><c>doctor LIST</c>: one line per check, the fix on each failure; exit 1 when any check fails.</summary>
public static class DoctorCommand
{
    public static Command Build()
    {
        var list = new Argument<string>("LIST");
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var command = new Command("doctor",
            "Check that a list can send now: DNS, TCP, TLS, login and sender at the provider (nothing is sent), list key, members' keys, admins, pause")
        {
            list, json,
        };
        command.SetHandler(async (ParseResult parse, ListDoctor doctor, CliConsole console, CancellationToken cancellationToken) =>
        {
            var listName = parse.GetValue(list)!;
            var checks = new List<DoctorCheck>();
            await foreach (var check in doctor.RunAsync(listName, cancellationToken: cancellationToken))
            {
                checks.Add(check);
                if (!parse.GetValue(json))
                {
                    // Printed as they come: over Tor each network step can take seconds.
                    await console.Out.WriteLineAsync(Line(check));
                }
            }

            var failed = checks.Count(c => c.Status == CheckStatus.Fail);
            if (parse.GetValue(json))
            {
                await Json.WriteAsync(console.Out, new
                {
                    list = listName,
                    ok = failed == 0,
                    checks = checks.Select(c => new { name = c.Name, status = c.Status.ToString().ToLowerInvariant(), detail = c.Detail, fix = c.Fix }),
                });
            }

            if (failed == 0)
            {
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"error: {failed} check(s) failed for {listName}: {string.Join(", ", checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Name))} (fixes above)");
            return ExitCodes.Error;
        });
        return command;
    }

    private static string Line(DoctorCheck check)
    {
        var status = check.Status switch
        {
            CheckStatus.Ok => "ok  ",
            CheckStatus.Warn => "warn",
            CheckStatus.Fail => "FAIL",
            _ => "skip",
        };
        var fix = check.Fix is null || check.Status == CheckStatus.Ok ? "" : $" (fix: {TerminalText.Escape(check.Fix)})";
        return $"{status}  {check.Name,-9} {TerminalText.Escape(check.Detail)}{fix}";
    }
}
