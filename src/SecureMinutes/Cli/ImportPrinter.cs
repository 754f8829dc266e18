using System.Globalization;
using SecureMinutes.Keyring;

namespace SecureMinutes.Cli;

/// <summary>The table of a bulk import: one line per key, then the counts and the time it took.</summary>
public static class ImportPrinter
{
    public static async Task PrintAsync(CliConsole console, BulkImportResult result, bool json)
    {
        if (json)
        {
            await Json.WriteAsync(console.Out, new
            {
                list = result.ListName,
                dryRun = result.DryRun,
                accepted = result.Accepted,
                refused = result.Refused,
                seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                keys = result.Rows.Select(r => new { status = r.Status, email = r.Email, fingerprint = r.Fingerprint?.Hex, detail = r.Detail, from = r.Origin }),
            });
            return;
        }

        var width = Math.Max(5, result.Rows.Select(r => TerminalText.Escape(r.Email)?.Length ?? 1).DefaultIfEmpty(5).Max());
        await console.Out.WriteLineAsync($"{"STATUS",-9}  {"EMAIL".PadRight(width)}  {"FINGERPRINT",-40}  DETAIL");
        foreach (var row in result.Rows)
        {
            await console.Out.WriteLineAsync($"{row.Status,-9}  {(TerminalText.Escape(row.Email) ?? "-").PadRight(width)}  {row.Fingerprint?.Hex ?? "-",-40}  {TerminalText.Escape(row.Detail)} [{TerminalText.Escape(row.Origin)}]");
        }

        var counts = result.Rows.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(result.DryRun ? "Dry run, nothing stored: " : "")}{string.Join(", ", counts)} ({result.Rows.Count} keys in {result.Elapsed.TotalSeconds:0.0} s)"));
    }
}
