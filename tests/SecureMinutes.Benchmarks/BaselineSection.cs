using System.Diagnostics;
using System.Globalization;
using SecureMinutes.Keys;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// Section 2: the baseline in the same run, as ../shared/tools/pgp/bench/bench.sh measures it: the same 20 KB
/// Markdown encrypted and signed separately for each of 250 members (125 RSA-3072, 125 Cv25519, from our own
/// member keys), one process per member, each loop timed whole with /usr/bin/time (the shell included, as in
/// bench.sh), plus the CPU gpg-agent spends signing (read from /proc). Medians over the repeats.
/// </summary>
internal sealed class BaselineSection(BenchContext bench)
{
    private const int Count = 250;

    private const string GpgLoop = """
        while IFS=$'\t' read -r name type fpr; do
          gpg --homedir "$GH" --batch --no-tty --quiet --yes --trust-model always --armor \
              --sign --encrypt -u "$LIST_FPR" -r "$fpr" -o "out/$name.gpg.asc" "$MESSAGE"
        done < "$1"
        """;

    private const string SqopLoop = """
        while IFS=$'\t' read -r name type fpr; do
          sqop encrypt --sign-with "$LIST_KEY" "certs/$name.pub.asc" < "$MESSAGE" > "out/$name.sqop.asc"
        done < "$1"
        """;

    /// <summary>gpg's median CPU per member in milliseconds once <see cref="Run"/> has run (0 before), for section 4's ratio.</summary>
    public double GpgCpuMillisecondsPerMember { get; private set; }

    public void Run(Report report, double pathMicroseconds, int repeat)
    {
        var work = Directory.CreateTempSubdirectory("sm-bench-baseline-");
        var gpgHome = Path.Combine(work.FullName, "gpg");
        try
        {
            Directory.CreateDirectory(Path.Combine(work.FullName, "certs"));
            Directory.CreateDirectory(Path.Combine(work.FullName, "out"));
            Directory.CreateDirectory(gpgHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var members = bench.Members.Take(Count).ToList();
            foreach (var m in members)
            {
                File.WriteAllText(Path.Combine(work.FullName, "certs", $"m{m.Index:D5}.pub.asc"), Armor.PublicKey(m.Certificate));
            }

            var listKey = Path.Combine(bench.RepoRoot, "keys-example", "list.sec.asc");
            var listFile = Path.Combine(work.FullName, "list");
            File.WriteAllLines(listFile, members.Select(m => $"m{m.Index:D5}\t{m.Type}\t{m.Fingerprint.Hex}"));
            File.WriteAllText(Path.Combine(work.FullName, "loop-gpg.sh"), GpgLoop);
            File.WriteAllText(Path.Combine(work.FullName, "loop-sqop.sh"), SqopLoop);
            var environment = new Dictionary<string, string>
            {
                ["GH"] = gpgHome, ["MESSAGE"] = bench.MinutesPath, ["LIST_KEY"] = listKey,
                ["LIST_FPR"] = Fingerprint.Of(bench.ListSecret.GetPublicKey()).Hex, ["TZ"] = "UTC", ["LC_ALL"] = "C",
            };

            Shell(work.FullName, environment, $"cat certs/*.pub.asc | gpg --homedir \"$GH\" --batch --quiet --import 2>/dev/null; gpg --homedir \"$GH\" --batch --quiet --import \"{listKey}\" 2>/dev/null");
            // Warm-up (starts gpg-agent), not timed; never -o /dev/null (gpg unlinks its output on error).
            Shell(work.FullName, environment, $"head -1 list > one && bash loop-gpg.sh one");
            var agent = int.Parse(Shell(work.FullName, environment, "gpg-connect-agent --homedir \"$GH\" 'getinfo pid' /bye | awk '$1==\"D\"{print $2}'").Trim(),
                CultureInfo.InvariantCulture);

            var gpg = new List<(double Rate, double CpuMs)>();
            var sqop = new List<(double Rate, double CpuMs)>();
            for (var r = 0; r < repeat; r++)
            {
                gpg.Add(TimedLoop(work.FullName, environment, "loop-gpg.sh", agent));
                sqop.Add(TimedLoop(work.FullName, environment, "loop-sqop.sh", null));
            }

            GpgCpuMillisecondsPerMember = Median(gpg.Select(x => x.CpuMs));
            report.Section($"2. Baseline in the same run: one process per member, {Count} members, median of {repeat}",
                "path", "members/s", "ms CPU per member", "our CPU advantage");
            Row("`gpg --sign --encrypt` (+ gpg-agent)", gpg);
            Row("`sqop encrypt --sign-with`", sqop);
            report.Note($"Ratios: their CPU per member / ours ({pathMicroseconds:0} µs, section 1, one core). Runs: gpg "
                + string.Join(", ", gpg.Select(g => g.CpuMs.ToString("0.0", CultureInfo.InvariantCulture))) + " ms; sqop "
                + string.Join(", ", sqop.Select(g => g.CpuMs.ToString("0.0", CultureInfo.InvariantCulture))) + " ms.");

            void Row(string label, List<(double Rate, double CpuMs)> runs)
            {
                var rate = Median(runs.Select(x => x.Rate));
                var cpu = Median(runs.Select(x => x.CpuMs));
                report.Row(label, rate, cpu, pathMicroseconds > 0 ? $"**{1000 * cpu / pathMicroseconds:0.0}×**" : "—");
            }
        }
        finally
        {
            Shell(work.FullName, new Dictionary<string, string>(), $"gpgconf --homedir \"{gpgHome}\" --kill gpg-agent >/dev/null 2>&1 || true");
            work.Delete(recursive: true);
        }
    }

    private static (double Rate, double CpuMs) TimedLoop(string dir, Dictionary<string, string> environment, string script, int? agent)
    {
        var before = agent is { } a ? AgentSeconds(a) : 0;
        Shell(dir, environment, $"/usr/bin/time -f \"%e %U %S\" -o t bash {script} list");
        var after = agent is { } b ? AgentSeconds(b) : 0;
        var t = File.ReadAllText(Path.Combine(dir, "t")).Trim().Split('\n')[^1].Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var count = File.ReadAllLines(Path.Combine(dir, "list")).Length;
        return (count / t[0], 1000 * (t[1] + t[2] + after - before) / count);
    }

    /// <summary>User + system CPU of gpg-agent so far (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static double AgentSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Shell(string dir, Dictionary<string, string> environment, string command)
    {
        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = dir, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"`{command}` failed with exit code {process.ExitCode}");
    }
}
