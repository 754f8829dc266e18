using Microsoft.Extensions.Logging;

namespace SecureMinutes.Cli;

/// <summary>
/// How <c>serve</c> and <c>worker</c> log: one line per event on stdout; under systemd (which sets
/// <c>JOURNAL_STREAM</c>) in the journal's format, so each line keeps its priority (<c>journalctl -p warning</c>).
/// Levels: Information by default (deliveries, retries, pauses: ids and counts only), <c>SECUREMINUTES_LOG_LEVEL</c>
/// = Debug adds each member's copy with its address, Warning keeps only what needs attention. Minutes, passwords
/// and keys are never logged at any level.
/// </summary>
public static class ServerLogging
{
    public const string LevelVariable = "SECUREMINUTES_LOG_LEVEL";

    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 })
        {
            logging.AddSystemdConsole();
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }

        // ASP.NET Core's own request logging is kept to warnings: its "request starting" lines would write
        // invitation tokens (they are in the path) and which lists are being read to the log.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var level = Environment.GetEnvironmentVariable(LevelVariable);
        if (string.IsNullOrWhiteSpace(level))
        {
            return;
        }

        logging.SetMinimumLevel(Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) && parsed is >= LogLevel.Trace and <= LogLevel.Critical
            ? parsed
            : throw new UserFacingException($"{LevelVariable}='{level}' must be Debug, Information, Warning or Error"));
    }
}
