namespace SecureMinutes.IntegrationTests.Support;

/// <summary>What reached the sink, per recipient and over time.</summary>
public static class SinkCounts
{
    public static Dictionary<string, int> PerRecipient(SmtpSink sink) =>
        sink.MessageFiles().Select(RecipientOf).GroupBy(r => r, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    /// <summary>When each message arrived: the sink names files by microseconds since the epoch.</summary>
    public static IReadOnlyList<DateTimeOffset> ArrivalTimes(SmtpSink sink) =>
        sink.MessageFiles().Select(f => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Path.GetFileName(f).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture) / 1000))
            .OrderBy(t => t).ToList();

    /// <summary>The most messages seen in any window of the given length.</summary>
    public static int MaxInWindow(IReadOnlyList<DateTimeOffset> times, TimeSpan window)
    {
        var max = 0;
        for (int start = 0, end = 0; start < times.Count; start++)
        {
            while (end < times.Count && times[end] - times[start] < window)
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }

    private static string RecipientOf(string file)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("X-Sink-Rcpt-To:", StringComparison.OrdinalIgnoreCase))
            {
                return line["X-Sink-Rcpt-To:".Length..].Trim();
            }

            if (line.Length == 0)
            {
                break;
            }
        }

        throw new InvalidDataException($"{file} has no X-Sink-Rcpt-To header");
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out: " + explain());
            }

            await Task.Delay(250);
        }
    }
}
