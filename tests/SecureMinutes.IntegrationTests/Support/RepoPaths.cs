namespace SecureMinutes.IntegrationTests.Support;

/// <summary>Where the repository, the built program and the shared tools (<c>../shared</c>) are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Tools => Path.Combine(Shared, "tools");

    public static string FixtureKeys => Path.Combine(Tools, "pgp", "fixtures", "keys");

    public static string FixtureKey(string name) => Path.Combine(FixtureKeys, name);

    public static string DemoKey(string name) => Path.Combine(Root, "keys-example", name);

    /// <summary>The program as built alongside the tests (same configuration).</summary>
    public static string ProgramDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(Root, "src", "SecureMinutes", "bin", configuration, "net10.0", "SecureMinutes.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution (dotnet build SecureMinutes.sln) before the integration tests");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureMinutes.sln")))
            {
                if (!Directory.Exists(Path.Combine(dir.FullName, "..", "shared", "tools")))
                {
                    throw new InvalidOperationException($"../shared/tools is missing next to {dir.FullName}: the integration tests need the shared tools");
                }

                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecureMinutes.sln not found above " + AppContext.BaseDirectory);
    }
}
