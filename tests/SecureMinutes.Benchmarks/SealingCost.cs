using System.Diagnostics;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// What the sealed member directory (issue 17) costs a listing: in this process, on the data dir section 5 filled,
/// the members read as stored (one SELECT, nothing opened) against <see cref="MemberStore.ListAsync"/>, which opens each
/// member's address, fingerprint, key and key summary (AES-256-GCM) and sorts by address. Best of three, warm.
/// </summary>
internal static class SealingCost
{
    public static async Task<string> MeasureAsync(string dataDir, string listName)
    {
        var database = Database.Sqlite(Path.Combine(dataDir, "secureminutes.db"));
        var sealing = new DirectorySealing(new Vault(dataDir));
        database.UseSealing(sealing);
        var list = await new ListStore(database, sealing).GetAsync(listName);
        var members = new MemberStore(database, sealing);
        var raw = TimeSpan.MaxValue;
        var opened = TimeSpan.MaxValue;
        var count = 0;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var connection = await database.OpenAsync())
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = FormattableString.Invariant($"SELECT email, email_key, fingerprint, public_key, key_summary FROM members WHERE list_id = {list.Id}");
                await using var reader = await command.ExecuteReaderAsync();
                var values = new object[5];
                for (count = 0; await reader.ReadAsync(); count++)
                {
                    reader.GetValues(values);
                }
            }

            raw = Min(raw, watch.Elapsed);
            watch.Restart();
            count = (await members.ListAsync(list.Id)).Count;
            opened = Min(opened, watch.Elapsed);
        }

        return $"{count:N0} members: read as stored {raw.TotalMilliseconds:F0} ms, read and opened {opened.TotalMilliseconds:F0} ms "
            + $"(sealing adds {(opened - raw).TotalMilliseconds:F0} ms, {(opened - raw).TotalMicroseconds / Math.Max(count, 1):F1} µs per member)";
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
