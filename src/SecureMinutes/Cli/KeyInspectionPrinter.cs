using System.Globalization;
using SecureMinutes.Keys;

namespace SecureMinutes.Cli;

/// <summary>Prints key inspections (<c>key show</c>, <c>member add --dry-run</c>) as text or JSON.</summary>
public static class KeyInspectionPrinter
{
    public static async Task PrintAsync(TextWriter output, IReadOnlyList<KeyInspection> inspections, bool json)
    {
        if (json)
        {
            await Json.WriteAsync(output, inspections.Select(ToJson));
            return;
        }

        for (var i = 0; i < inspections.Count; i++)
        {
            if (i > 0)
            {
                await output.WriteLineAsync();
            }

            foreach (var line in inspections[i].Lines())
            {
                await output.WriteLineAsync(line);
            }
        }
    }

    public static object ToJson(KeyInspection inspection) => new
    {
        fingerprint = inspection.Key.Fingerprint.Hex,
        from = inspection.Origin,
        status = inspection.Key.Status.ToText(),
        usable = inspection.Key.Status.CanReceive(),
        problem = inspection.Key.Problem,
        expires = Day(inspection.Key.Expires),
        userIds = inspection.Key.UserIds,
        primaryUserId = inspection.Key.PrimaryUserId,
        keys = inspection.Keys.Select(k => new
        {
            keyId = k.KeyId,
            fingerprint = k.Fingerprint,
            algorithm = k.Algorithm,
            created = Day(k.Created),
            expires = Day(k.Expires),
            usage = k.Usage,
            usedForEncryption = k.UsedForEncryption,
            verdict = k.Verdict,
        }),
    };

    private static string? Day(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
