using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;

namespace SecureMinutes.Benchmarks;

/// <summary>What every section shares: the repository, the cache, the members' keys, the list key and the minutes.</summary>
internal sealed class BenchContext
{
    public BenchContext(string repoRoot, string cacheDirectory, int memberCount)
    {
        RepoRoot = repoRoot;
        CacheDirectory = cacheDirectory;
        SharedTools = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "tools"));
        MinutesPath = Path.Combine(SharedTools, "pgp", "bench", "message.md");
        MinutesText = File.ReadAllText(MinutesPath);
        Members = BenchKeys.Load(cacheDirectory, memberCount);
        ListSecret = BenchKeys.ListSecretKey(repoRoot);
        var publicRing = ListKeyGenerator.PublicRing(ListSecret);
        List = new MailingList(1, "bench", "ag-demo@lists.example.test", "AG démo SecureMinutes", Fingerprint.Of(publicRing.GetPublicKey()),
            publicRing.GetEncoded(), DateTimeOffset.UtcNow);
    }

    public string RepoRoot { get; }

    public string CacheDirectory { get; }

    public string SharedTools { get; }

    /// <summary>The baseline's 20 KB Markdown minutes (../shared/tools/pgp/bench/message.md).</summary>
    public string MinutesPath { get; }

    public string MinutesText { get; }

    public IReadOnlyList<BenchMember> Members { get; }

    public PgpSecretKeyRing ListSecret { get; }

    public MailingList List { get; }

    /// <summary>
    /// The <c>secureminutes</c> program sections 4 and 5 run: tests/bench.sh publishes it ReadyToRun (as README installs
    /// it) and passes <c>--program</c>; without it, the Release build's launcher.
    /// </summary>
    public string ProgramPath { get; init; } = "";
}
