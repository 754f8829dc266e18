using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>
/// Keys people really have (tests/fixtures/keys, made by make-keys.sh with gpg and sq, plus the two field cases
/// of ../shared/cases/keys): <c>key show</c> (<see cref="KeyInspection"/>), <c>member add --dry-run</c>
/// (<see cref="Membership.PreviewAsync"/>) and <c>member add</c> judge each one exactly alike, and as
/// expected.tsv says: status, the one subkey mail is encrypted to, expiry, and the user id as admins read it.
/// </summary>
public sealed class KeysPeopleHaveTests
{
    private static readonly string FixtureDirectory = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "keys");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(FixtureDirectory, "expected.tsv")).Skip(1))
        {
            data.Add(line.Split('\t')[0]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task KeyShow_DryRun_AndAdd_JudgeTheKeyAlike_AsTheTableSays(string file)
    {
        var expected = Expected.Of(file);
        var path = Path.GetFullPath(Path.Combine(FixtureDirectory, file));
        var data = await File.ReadAllBytesAsync(path);
        using var services = new TestServices();
        await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var membership = services.Get<Membership>();
        var now = services.Clock.GetUtcNow();

        var shown = KeyInspection.Of(Assert.Single(KeyFileReader.Read(data, Path.GetFileName(path))), now);
        var preview = await membership.PreviewAsync("ag", expected.Email, data, Path.GetFileName(path), new MemberOptions());
        var added = await membership.AddAsync("ag", expected.Email, data, Path.GetFileName(path), new MemberOptions());
        var stored = await services.Get<MemberStore>().FindAsync(added.Member.ListId, expected.Email);
        var reassessed = KeyAssessor.Assess(new PgpPublicKeyRing(stored!.PublicKey), now);

        foreach (var (judge, key) in new[] { ("key show", shown.Key), ("--dry-run", preview.Key), ("add", added.Key), ("stored", reassessed) })
        {
            Assert.True(expected.Status == key.Status.ToText(), $"{judge}: {key.Status.ToText()} ({key.Problem})");
            var encryptsTo = Assert.Single(key.Subkeys, s => s.IsUsableForEncryption);
            Assert.Equal(expected.Algorithm, encryptsTo.Algorithm);
            Assert.Equal(expected.Created, encryptsTo.Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Assert.Equal(expected.Flags, FlagsOf(encryptsTo));
            Assert.Equal(expected.Expires, key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-");
            Assert.Equal([expected.UserId], key.UserIds);
            Assert.Equal(shown.Key.Fingerprint, key.Fingerprint);
        }

        Assert.Contains(shown.Lines(), l => l.Contains(expected.UserId, StringComparison.Ordinal));
        Assert.Equal(expected.Email, UserIdAddress.Of(expected.UserId));
    }

    private static string FlagsOf(SubkeyAssessment subkey) =>
        ((subkey.Flags & PgpKeyFlags.CanEncryptCommunications) != 0, (subkey.Flags & PgpKeyFlags.CanEncryptStorage) != 0) switch
        {
            (true, true) => "both",
            (true, false) => "communications",
            (false, true) => "storage",
            _ => "none",
        };

    private sealed record Expected(string Email, string Status, string Algorithm, string Created, string Flags, string Expires, string UserId)
    {
        public static Expected Of(string file)
        {
            var fields = File.ReadLines(Path.Combine(FixtureDirectory, "expected.tsv")).Select(l => l.Split('\t')).Single(f => f[0] == file);
            return new Expected(fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]);
        }
    }
}
