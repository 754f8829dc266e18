namespace SecureMinutes.Tests.Support;

/// <summary>
/// Where the tests find their keys. The shared PGP tools live in <c>shared/tools/pgp</c> beside the repository
/// (<c>/work/shared</c> next to <c>/work/main</c>, and <c>../shared</c> beside the checkout in CI), so both are
/// found by walking up from the test binaries.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> SharedPgp = new(FindSharedPgp);
    private static readonly Lazy<string> Repo = new(FindRepoRoot);

    /// <summary><c>shared/tools/pgp</c>: the independent checker and its fixtures.</summary>
    public static string SharedPgpTools => SharedPgp.Value;

    /// <summary>The fixture identities (<c>NAME.pub.asc</c>, <c>NAME.sec.asc</c>, <c>keys.tsv</c>).</summary>
    public static string FixtureKeys => Path.Combine(SharedPgpTools, "fixtures", "keys");

    public static string RepoRoot => Repo.Value;

    /// <summary>The demo keys shipped in the repository (list, camille, dominique, sacha).</summary>
    public static string DemoKeys => Path.Combine(RepoRoot, "keys-example");

    private static string FindSharedPgp()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "tools", "pgp");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No 'shared/tools/pgp' folder above {AppContext.BaseDirectory}. The PGP test fixtures are expected in "
            + "'../shared/tools/pgp' beside the repository root (e.g. /work/shared next to /work/main); check out the shared tools there.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecureMinutes.sln")) && Directory.Exists(Path.Combine(dir.FullName, "keys-example")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No repository root (SecureMinutes.sln with keys-example/) above {AppContext.BaseDirectory}.");
    }
}
