using System.Globalization;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// The list sections 4 and 4b send to, made with the real program's commands (not timed): list <c>bench</c>, the
/// first N benchmark members imported, the SMTP provider pointed at the loopback <see cref="SmtpSink"/> without TLS, and
/// the list's rate and daily cap off, so that the figures show the program and not a deliberate pause.
/// </summary>
internal static class BenchList
{
    public const string Name = "bench";

    /// <summary>Runs the set-up commands through <paramref name="run"/> (one <c>secureminutes</c> invocation each, on whatever database it targets).</summary>
    public static async Task CreateAsync(Func<string[], Task<TimedCommand>> run, IReadOnlyList<string> keyrings, SmtpSink sink)
    {
        await run(["list", "create", Name, "--address", "bench@lists.example.test"]);
        foreach (var keyring in keyrings)
        {
            await run(["member", "import", Name, keyring]);
        }

        await run(["provider", "set", Name, "--host", "127.0.0.1", "--port", sink.Port.ToString(CultureInfo.InvariantCulture), "--security", "none"]);
        await run(["list", "set", Name, "--rate", "off", "--daily-cap", "off"]);
    }
}
