using System.Globalization;
using SecureMinutes.Benchmarks;

// tests/bench.sh [--sections 1,2,3,4,4b,5] [--sizes 250,2500,10000] [--cache DIR] [--out FILE]
var options = BenchOptions.Parse(args);
var bench = new BenchContext(options.RepoRoot, options.CacheDirectory, Math.Max(options.Sizes.Max(), options.ImportCount)) { ProgramPath = options.Program };
var report = new Report();
report.Line($"## SecureMinutes benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, "
    + $"{Environment.Version}, load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; sections 4-5 run {options.Program}");

var crypto = new CryptoPathSection(bench);
if (options.Sections.Contains("1") || options.Sections.Contains("2") || options.Sections.Contains("3"))
{
    crypto.Run(report, options.Sizes);
}

var baseline = new BaselineSection(bench);
if (options.Sections.Contains("2"))
{
    baseline.Run(report, crypto.CpuMicrosecondsPerMember, options.Repeat);
}

if (options.Sections.Contains("3"))
{
    new FloorSection(bench).Run(report, crypto.CpuMicrosecondsPerMember);
}

if (options.Sections.Contains("4"))
{
    await new EndToEndSection(bench).RunAsync(report, options.Sizes, baseline.GpgCpuMillisecondsPerMember);
}

if (options.Sections.Contains("4b"))
{
    await new EndToEndPostgresSection(bench).RunAsync(report, options.Sizes, baseline.GpgCpuMillisecondsPerMember);
}

if (options.Sections.Contains("5"))
{
    await new CliSection(bench).RunAsync(report, options.ImportCount);
}

if (options.OutFile is { } file)
{
    await File.WriteAllTextAsync(file, report.ToString());
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[bench] table written to {file}"));
}
