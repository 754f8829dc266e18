using Dapper;
using Microsoft.Data.Sqlite;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Secrets;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Storage;

/// <summary>
/// Issue 17's sealed member directory: addresses and keys are stored sealed and found through a keyed blind index per
/// list, case-insensitively as addresses always were; the audit names members by that index and shows them decoded;
/// the previous release's database is sealed in place; and a copied data dir in passphrase mode names nobody.
/// </summary>
public sealed class SealedDirectoryTests
{
    private static byte[] DemoKey(string name) => File.ReadAllBytes(Path.Combine(TestPaths.DemoKeys, name + ".pub.asc"));

    [Fact]
    public async Task MemberLookups_IgnoreTheAddressesCase_ThroughTheBlindIndex()
    {
        await using var services = new TestServices();
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var membership = services.Get<Membership>();
        await membership.AddAsync("ag", "Camille@Members.Example.Test", DemoKey("camille"), "camille.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        var members = services.Get<MemberStore>();

        var found = await members.FindAsync(list.Id, "camille@MEMBERS.example.test");
        Assert.NotNull(found);
        Assert.Equal("Camille@Members.Example.Test", found.Email);
        Assert.Equal("407A231E4B858BAD002BCAF50AFA0412F354730D", found.Fingerprint.Hex);
        Assert.True(await membership.ExistsAsync("ag", "CAMILLE@members.example.test"));
        Assert.True(await members.SetFlagsAsync(list.Id, "camille@members.EXAMPLE.test", isAdmin: true, wantsDigest: null));
        Assert.True((await members.FindAsync(list.Id, "camille@members.example.test"))!.IsAdmin);
        await membership.AddAsync("ag", "CAMILLE@MEMBERS.EXAMPLE.TEST", DemoKey("camille"), "camille.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        Assert.Single(await members.ListAsync(list.Id));
        Assert.True(await members.RemoveAsync(list.Id, "cAmIlLe@members.example.test"));
        Assert.Empty(await members.ListAsync(list.Id));
    }

    [Fact]
    public async Task StreamingAList_OpensEveryMember_AsTheListingDoes()
    {
        await using var services = new TestServices();
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var membership = services.Get<Membership>();
        foreach (var name in new[] { "sacha", "camille", "dominique" })
        {
            await membership.AddAsync("ag", $"{name}@members.example.test", DemoKey(name), $"{name}.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        }

        var members = services.Get<MemberStore>();
        var streamed = new List<Member>();
        await foreach (var member in members.StreamAsync(list.Id))
        {
            streamed.Add(member);
        }

        var listed = await members.ListAsync(list.Id);
        Assert.Equal(listed.Select(m => (m.Id, m.Email, m.Fingerprint.Hex, Convert.ToHexString(m.PublicKey), m.KeySummary?.ToJson())),
            streamed.OrderBy(m => m.Email, StringComparer.Ordinal).Select(m => (m.Id, m.Email, m.Fingerprint.Hex, Convert.ToHexString(m.PublicKey), m.KeySummary?.ToJson())));
        Assert.True(await members.AnyAsync(list.Id));
        Assert.False(await members.AnyAsync(list.Id + 1));
    }

    [Fact]
    public async Task TheDatabaseAlone_NamesNobody_AndOnePersonOnTwoLists_GivesUnrelatedIndexes()
    {
        await using var services = new TestServices();
        var lists = services.Get<ListService>();
        var ag = await lists.CreateAsync("ag", "ag@lists.example.test", "AG");
        var ca = await lists.CreateAsync("ca", "ca@lists.example.test", "CA");
        foreach (var name in new[] { "ag", "ca" })
        {
            await services.Get<Membership>().AddAsync(name, "dominique@members.example.test", DemoKey("dominique"), "k", new MemberOptions(AllowUserIdMismatch: true));
        }

        await using var connection = await services.Get<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<(long ListId, string Email, string EmailKey, string Fingerprint, byte[] PublicKey, string KeyTag)>(
            "SELECT list_id, email, email_key, fingerprint, public_key, key_tag FROM members ORDER BY list_id")).ToList();

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.DoesNotContain("dominique", r.Email + r.EmailKey + r.Fingerprint, StringComparison.OrdinalIgnoreCase));
        Assert.All(rows, r => Assert.DoesNotContain("4B1D30F0", r.Fingerprint, StringComparison.OrdinalIgnoreCase));
        Assert.All(rows, r => Assert.StartsWith("s1:", r.Email, StringComparison.Ordinal));
        Assert.NotEqual(rows[0].EmailKey, rows[1].EmailKey);
        Assert.NotEqual(rows[0].KeyTag, rows[1].KeyTag);
        Assert.NotEqual(rows[0].PublicKey, rows[1].PublicKey);
        Assert.Equal([ag.Id, ca.Id], rows.Select(r => r.ListId));
    }

    [Fact]
    public async Task MembersSettings_AreSealed_SoTheDatabaseAloneDoesNotShowWhoAdministersTheList()
    {
        await using var services = new TestServices();
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        var membership = services.Get<Membership>();
        await membership.AddAsync("ag", "camille@members.example.test", DemoKey("camille"), "k", new MemberOptions(AllowUserIdMismatch: true, IsAdmin: true));
        await membership.AddAsync("ag", "dominique@members.example.test", DemoKey("dominique"), "k", new MemberOptions(AllowUserIdMismatch: true));
        var members = services.Get<MemberStore>();
        Assert.True(await members.SetFlagsAsync(list.Id, "dominique@members.example.test", isAdmin: null, wantsDigest: true, isNoteTaker: true));
        Assert.True(await members.SetFlagsAsync(list.Id, "camille@members.example.test", isAdmin: null, wantsDigest: true));
        Assert.False(await members.SetFlagsAsync(list.Id, "nobody@members.example.test", isAdmin: true, wantsDigest: null));

        Assert.Equal((2, 1), await members.CountAsync(list.Id));
        var (camille, dominique) = ((await members.FindAsync(list.Id, "camille@members.example.test"))!, (await members.FindAsync(list.Id, "dominique@members.example.test"))!);
        Assert.Equal((true, true, false), (camille.IsAdmin, camille.WantsDigest, camille.IsNoteTaker));
        Assert.Equal((false, true, true), (dominique.IsAdmin, dominique.WantsDigest, dominique.IsNoteTaker));

        await using var connection = await services.Get<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<(long IsAdmin, long WantsDigest, long IsNoteTaker, string Sealed)>(
            "SELECT is_admin, wants_digest, is_note_taker, sealed_settings FROM members")).ToList();
        Assert.All(rows, r => Assert.Equal((0L, 0L, 0L), (r.IsAdmin, r.WantsDigest, r.IsNoteTaker)));
        Assert.All(rows, r => Assert.True(DirectorySealing.IsSealed(r.Sealed)));
        Assert.Single(rows.Select(r => r.Sealed.Length).Distinct()); // every member's settings look alike
    }

    [Fact]
    public async Task AuditEntries_NameMembersByBlindIndex_AndAreShownDecoded()
    {
        await using var services = new TestServices();
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<Membership>().AddAsync("ag", "sacha@members.example.test", DemoKey("sacha"), "k", new MemberOptions(AllowUserIdMismatch: true, Actor: "cli"));
        await services.Get<MemberVerification>().VerifyAsync("ag", "Sacha@Members.Example.Test", "49CFE4C7F39F59221D64A02BA6A23CF51187C6DC", "cli");

        var shown = await services.Get<AuditStore>().ListAsync(list.Id, "SACHA@members.example.test");
        Assert.Equal([AuditActions.MemberAdded, AuditActions.MemberVerified], shown.Select(e => e.Action));
        Assert.All(shown, e => Assert.Equal("sacha@members.example.test", e.MemberEmail, ignoreCase: true));
        Assert.Equal("49CFE4C7F39F59221D64A02BA6A23CF51187C6DC", shown[^1].NewFingerprint);

        await using var connection = await services.Get<Database>().OpenAsync();
        var stored = string.Join("|", await connection.QueryAsync<string>(
            "SELECT COALESCE(member_index, '') || COALESCE(member_email, '') || COALESCE(old_fingerprint, '') || COALESCE(new_fingerprint, '') || COALESCE(detail, '') FROM key_audit"));
        Assert.DoesNotContain("sacha", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("49CFE4C7", stored, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ThePreviousReleasesDatabase_IsSealedInPlace_AndEverythingIsStillFound()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        Directory.CreateDirectory(dataDir);
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "datadir-schema-4")).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(dataDir, Path.GetFileName(file)));
        }

        await using (var services = new TestServices(dataDir))
        {
            var list = await services.Get<ListStore>().GetAsync("ag-demo");
            var members = await services.Get<MemberStore>().ListAsync(list.Id);
            Assert.Equal(["camille@members.example.test", "dominique@members.example.test", "sacha@members.example.test"], members.Select(m => m.Email));
            Assert.All(members, m => Assert.Equal(m.Fingerprint, Fingerprint.Of(PublicKeyReader.Read(m.PublicKey, "stored").Single().GetPublicKey())));
            Assert.NotNull(await services.Get<MemberStore>().FindAsync(list.Id, "DOMINIQUE@members.example.test"));
            // Settings moved into the sealed value: camille stays admin, dominique note-taker; the clear columns are zero.
            Assert.Equal([true, false, false], members.Select(m => m.IsAdmin));
            Assert.Equal([false, true, false], members.Select(m => m.IsNoteTaker));
            await using (var connection = await services.Get<Database>().OpenAsync())
            {
                Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM members WHERE is_admin <> 0 OR wants_digest <> 0 OR is_note_taker <> 0"));
            }

            var delivered = await services.Get<DeliveryStore>().ListAsync("sub-anrp-ce3p-fw8s");
            Assert.Equal(members.Select(m => m.Email), delivered.Select(d => d.Email));
            Assert.All(delivered, d => Assert.Equal(members.Single(m => m.Id == d.MemberId).Fingerprint.Hex, d.Fingerprint));
            var audit = await services.Get<AuditStore>().ListAsync(list.Id, "Sacha@members.example.test");
            Assert.Single(audit, e => e.Action == AuditActions.MemberAdded && e.NewFingerprint == "49CFE4C7F39F59221D64A02BA6A23CF51187C6DC");
        }

        SqliteConnection.ClearAllPools();
        Assert.Empty(SeizedDiskFlow.FoundIn(dataDir, TestPaths.DemoKeys));
    }

    [Fact]
    public async Task ACopiedDataDir_InPassphraseMode_HoldsNoAddressNoFingerprintNoKeyAndNoMinutes()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        var seized = Path.Combine(work.Path, "seized");
        await using (var services = new TestServices(dataDir, environment: SeizedDiskFlow.Environment().GetValueOrDefault))
        {
            await SeizedDiskFlow.RunAsync(services, Path.Combine(work.Path, "outbox"), TestPaths.DemoKeys);
            Assert.Contains("passphrase", services.Get<Vault>().Describe(), StringComparison.Ordinal);

            // Copied while the service runs (WAL and all), as a seizure would.
            CopyDirectory(dataDir, seized);
        }

        SqliteConnection.ClearAllPools();
        // The search finds what is there: the sent mails (outside the data dir) are addressed to the members.
        Assert.Contains(SeizedDiskFlow.FoundIn(Path.Combine(work.Path, "outbox"), TestPaths.DemoKeys), f => f.StartsWith("address", StringComparison.Ordinal));
        Assert.Empty(SeizedDiskFlow.FoundIn(seized, TestPaths.DemoKeys));
        Assert.Empty(SeizedDiskFlow.FoundIn(dataDir, TestPaths.DemoKeys));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
