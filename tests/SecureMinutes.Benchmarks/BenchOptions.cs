using System.Globalization;

namespace SecureMinutes.Benchmarks;

/// <summary>The command line of tests/bench.sh. Sections are named as printed: 1, 2, 3, 4 (SQLite), 4b (PostgreSQL, two workers), 5.</summary>
internal sealed record BenchOptions(string RepoRoot, string CacheDirectory, IReadOnlySet<string> Sections, IReadOnlyList<int> Sizes,
    int ImportCount, int Repeat, string? OutFile, string Program)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        List<int> Numbers(string? text, string fallback) =>
            (text ?? fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

        var root = Value("--repo") ?? FindRoot();
        var cache = Value("--cache") ?? Environment.GetEnvironmentVariable("SECUREMINUTES_BENCH_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "secureminutes-bench");
        return new BenchOptions(root, cache, (Value("--sections") ?? "1,2,3,4,4b,5").Split(',').Select(s => s.Trim().ToLowerInvariant()).ToHashSet(), Numbers(Value("--sizes"), "250,2500,10000"),
            Numbers(Value("--import"), "10000")[0], Numbers(Value("--repeat"), "3")[0], Value("--out"),
            Path.GetFullPath(Value("--program") ?? Path.Combine(root, "src", "SecureMinutes", "bin", "Release", "net10.0", "SecureMinutes")));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureMinutes.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecureMinutes.sln not found above " + AppContext.BaseDirectory);
    }
}
