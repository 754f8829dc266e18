using System.Text.Json;
using SecureMinutes.IntegrationTests.Support;

namespace SecureMinutes.IntegrationTests.Jobs;

/// <summary>
/// A provider that defers some recipients (451), refuses some (550) and drops the connection every few
/// messages: deferred members end delivered, refused ones end failed with the server's reason, nobody else
/// is affected and nobody is sent twice.
/// </summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task TransientFailuresRetry_PermanentOnesFailWithTheServersReason_AndDropsLoseNothing()
    {
        using var work = new TempDir();
        await using var sink = await SmtpSink.StartAsync("--starttls", "--tempfail", "0.15", "--permfail", "0.08", "--seed", "11", "--drop-after", "7");
        var dataDir = work.Combine("data");
        await using (var setup = new InProcess(dataDir))
        {
            await setup.CreateListAsync("faults", 40, sink, email: i => i switch
            {
                1 => "always+451@example.org",
                2 => "never+550@example.org",
                _ => $"m{i:D4}@example.org",
            });
        }

        var cli = new CliRunner(dataDir);
        foreach (var (key, value) in WorkerEnvironment.For(dataDir))
        {
            cli.Environment[key] = value;
        }

        var minutes = work.Combine("minutes.md");
        await File.WriteAllTextAsync(minutes, "# CR\n\nTexte.\n");
        var result = await cli.RunAsync("submit", "faults", "--file", minutes, "--wait", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        var copies = report.GetProperty("deliveries").EnumerateArray().ToList();
        var received = SinkCounts.PerRecipient(sink);
        Assert.Equal(40, copies.Count);
        foreach (var copy in copies)
        {
            var email = copy.GetProperty("email").GetString()!;
            var state = copy.GetProperty("state").GetString();
            var detail = copy.GetProperty("detail").GetString() ?? "";
            switch (state)
            {
                case "delivered":
                    Assert.Equal(1, received.GetValueOrDefault(email));
                    break;
                case "failed-permanent":
                    Assert.False(received.ContainsKey(email), $"{email} failed but reached the sink");
                    Assert.True(detail.Contains("550 5.1.1", StringComparison.Ordinal) || detail.StartsWith("gave up after 4 attempts: 451", StringComparison.Ordinal), detail);
                    break;
                default:
                    Assert.Fail($"{email} ended {state}: {detail}");
                    break;
            }
        }

        var always451 = copies.Single(c => c.GetProperty("email").GetString() == "always+451@example.org");
        Assert.StartsWith("gave up after 4 attempts: 451 4.3.0", always451.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var never550 = copies.Single(c => c.GetProperty("email").GetString() == "never+550@example.org");
        Assert.Contains("550 5.1.1", never550.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Most members got their copy; those that failed did so only for what the server said about them.
        Assert.InRange(copies.Count(c => c.GetProperty("state").GetString() == "delivered"), 25, 38);
    }
}
