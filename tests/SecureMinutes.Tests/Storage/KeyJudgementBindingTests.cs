using Dapper;
using Microsoft.Data.Sqlite;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Storage;

/// <summary>
/// Issue 12: listings read no certificate. A member's stored key judgement is sealed bound to the keyed tag of the
/// certificate it judged, so a listing trusts it only beside that certificate; any other judgement (sealed the older
/// way, stored in clear, left from another key) is not trusted, and the key is judged afresh and the judgement stored.
/// The migration reseals the judgements an earlier release stored, dropping any that is not for the stored certificate.
/// </summary>
public sealed class KeyJudgementBindingTests
{
    private static byte[] DemoKey(string name) => File.ReadAllBytes(Path.Combine(TestPaths.DemoKeys, name + ".pub.asc"));

    private static async Task<MailingList> ListWithMembersAsync(TestServices services, params string[] names)
    {
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        foreach (var name in names)
        {
            await services.Get<Membership>().AddAsync("ag", $"{name}@members.example.test", DemoKey(name), name + ".pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        }

        return list;
    }

    /// <summary>Stores <paramref name="summaryJson"/> as <paramref name="email"/>'s judgement exactly as given (sealed or not, by the caller).</summary>
    private static async Task SetStoredSummaryAsync(TestServices services, MailingList list, string email, Func<DirectorySealing, string, string> stored)
    {
        var sealing = services.Get<DirectorySealing>();
        var index = sealing.Index(list.Id, email);
        var json = (await services.Get<MemberStore>().FindAsync(list.Id, email))!.KeySummary!.ToJson();
        await using var connection = await services.Get<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE members SET key_summary = @value WHERE email_key = @index", new { value = stored(sealing, json), index });
    }

    [Fact]
    public async Task AListing_TrustsTheJudgementSealedForTheKeyTheMemberHolds_WithoutReadingCertificates()
    {
        await using var services = new TestServices();
        var list = await ListWithMembersAsync(services, "camille", "dominique");

        var entries = await services.Get<MemberStore>().ListEntriesAsync(list.Id);
        var members = await services.Get<MemberStore>().ListAsync(list.Id);

        Assert.Equal(members.Select(m => m.Email), entries.Select(e => e.Email));
        Assert.Equal(members.Select(m => m.KeySummary!.ToJson()), entries.Select(e => e.KeySummary?.ToJson()));
        Assert.All(members, m => Assert.False(MemberKeys.NeedsJudging(m)));
    }

    [Theory]
    [InlineData("sealed the way judgements were before they were bound to their key")]
    [InlineData("stored in clear")]
    [InlineData("sealed for another certificate")]
    public async Task AJudgementNotSealedForTheMembersKey_IsNotTrusted_TheKeyIsJudgedAfresh_AndTheJudgementStored(string how)
    {
        await using var services = new TestServices();
        var list = await ListWithMembersAsync(services, "camille", "dominique");
        const string email = "camille@members.example.test";
        var otherTag = services.Get<DirectorySealing>().KeyTag(list.Id, DemoKey("dominique"));
        await SetStoredSummaryAsync(services, list, email, (sealing, json) => how switch
        {
            "stored in clear" => json,
            "sealed for another certificate" => sealing.Seal(json, MemberStore.SummaryPurpose(sealing.Index(list.Id, email), otherTag)),
            _ => sealing.Seal(json, MemberStore.Purpose(sealing.Index(list.Id, email), "key_summary")),
        });
        var store = services.Get<MemberStore>();
        Assert.Null((await store.ListEntriesAsync(list.Id)).Single(e => e.Email == email).KeySummary);
        Assert.True(MemberKeys.NeedsJudging(Assert.Single(await store.ListAsync(list.Id), m => m.Email == email)));

        var listed = await services.Get<Membership>().ListAsync(list);

        Assert.Equal(KeyStatus.Usable, listed.Single(v => v.Member.Email == email).Key.Status);
        Assert.Equal(["camille@members.example.test", "dominique@members.example.test"], listed.Select(v => v.Member.Email));
        Assert.NotNull((await store.ListEntriesAsync(list.Id)).Single(e => e.Email == email).KeySummary);
    }

    [Fact]
    public async Task ThePreviousReleasesJudgements_AreResealedForTheirKey_AndOneForAnotherCertificateIsDropped()
    {
        using var work = new TempDirectory();
        var dataDir = Path.Combine(work.Path, "data");
        string? camilleJudgement;
        await using (var services = new TestServices(dataDir))
        {
            var list = await ListWithMembersAsync(services, "camille", "dominique", "sacha");
            var store = services.Get<MemberStore>();
            camilleJudgement = (await store.FindAsync(list.Id, "camille@members.example.test"))!.KeySummary!.ToJson();
            var dominiques = (await store.FindAsync(list.Id, "dominique@members.example.test"))!.KeySummary!.ToJson();
            // As the previous release stored them: sealed for their member and column only. Sacha's is Dominique's judgement.
            await SetStoredSummaryAsync(services, list, "camille@members.example.test", (sealing, json) => sealing.Seal(json, MemberStore.Purpose(sealing.Index(list.Id, "camille@members.example.test"), "key_summary")));
            await SetStoredSummaryAsync(services, list, "dominique@members.example.test", (sealing, json) => sealing.Seal(json, MemberStore.Purpose(sealing.Index(list.Id, "dominique@members.example.test"), "key_summary")));
            await SetStoredSummaryAsync(services, list, "sacha@members.example.test", (sealing, _) => sealing.Seal(dominiques, MemberStore.Purpose(sealing.Index(list.Id, "sacha@members.example.test"), "key_summary")));
            await using var connection = await services.Get<Database>().OpenAsync();
            var version = await connection.ExecuteScalarAsync<long>("SELECT MAX(version) FROM schema_migrations");
            await connection.ExecuteAsync("ALTER TABLE lists DROP COLUMN key_summary; DELETE FROM schema_migrations WHERE version = @version", new { version });
        }

        SqliteConnection.ClearAllPools();
        await using (var services = new TestServices(dataDir))
        {
            var list = await services.Get<ListStore>().GetAsync("ag");
            var entries = (await services.Get<MemberStore>().ListEntriesAsync(list.Id)).ToDictionary(e => e.Email);

            Assert.Equal(camilleJudgement, entries["camille@members.example.test"].KeySummary?.ToJson());
            Assert.NotNull(entries["dominique@members.example.test"].KeySummary);
            Assert.Null(entries["sacha@members.example.test"].KeySummary);
            var listed = await services.Get<Membership>().ListAsync(list);
            Assert.All(listed, v => Assert.Equal(KeyStatus.Usable, v.Key.Status));
            Assert.All(await services.Get<MemberStore>().ListAsync(list.Id), m => Assert.False(MemberKeys.NeedsJudging(m)));
        }
    }
}
