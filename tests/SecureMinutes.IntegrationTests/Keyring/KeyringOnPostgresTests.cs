using System.Text;
using Org.BouncyCastle.Bcpg;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.IntegrationTests.Keyring;

/// <summary>The keyring's queries on PostgreSQL (arrays, bytea comparisons, ON CONFLICT), not only on SQLite.</summary>
public sealed class KeyringOnPostgresTests
{
    private static readonly string[] Fixtures = ["rsa3072", "ed25519", "expired"];

    [Fact]
    public async Task KeyringManagement_WorksOnPostgreSql()
    {
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        await using var services = new InProcess(work.Combine("data"), databaseUrl);
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        // The list key's judgement is stored with it (a bytea comparison on PostgreSQL).
        Assert.True(list.KeySummary?.IsFor(list.PublicKey));
        var keyring = Encoding.ASCII.GetBytes(string.Concat(Fixtures.Select(f => File.ReadAllText(RepoPaths.FixtureKey(f + ".pub.asc")))));

        var import = await services.Get<BulkImport>().ImportKeyringAsync("ag", keyring, "ag.asc", new BulkImportOptions("camille"), default);
        var again = await services.Get<BulkImport>().ImportKeyringAsync("ag", keyring, "ag.asc", new BulkImportOptions("camille"), default);

        Assert.Equal((2, 1), (import.Accepted, import.Refused));
        Assert.All(again.Rows.Where(r => !r.IsRefused), r => Assert.Equal("unchanged", r.Status));
        var membership = services.Get<Membership>();
        var replaced = await membership.AddAsync("ag", "ed25519@example.org", await File.ReadAllBytesAsync(RepoPaths.FixtureKey("rsa4096.pub.asc")), "k",
            new MemberOptions(AllowUserIdMismatch: true, Replace: true, Actor: "sacha"));
        Assert.Equal(KeyImportOutcome.Replaced, replaced.Outcome);
        Assert.True((await services.Get<MemberVerification>().VerifyAsync("ag", "rsa3072@example.org", "5BCC8513CF577ABB85231A7647F55490E6F4FA02", "sacha")).Changed);
        Assert.True(await services.Get<KeyNoticeStore>().TryClaimAsync(replaced.Member.Id, replaced.Member.Fingerprint, "warn:1:7d", DateTimeOffset.UtcNow));
        Assert.False(await services.Get<KeyNoticeStore>().TryClaimAsync(replaced.Member.Id, replaced.Member.Fingerprint, "warn:1:7d", DateTimeOffset.UtcNow));

        var rotation = services.Get<ListKeyRotation>();
        await rotation.RevokeAsync("ag", RevocationReasonTag.KeySuperseded, "rotating", "sacha", upload: false, default);
        var rotated = await rotation.RotateAsync("ag", "sacha", default);
        var all = KeyFileReader.Read(Encoding.ASCII.GetBytes(await rotation.ExportAsync("ag", includeRetired: true, default)), "export");
        Assert.Equal(2, all.Count);
        Assert.True(rotated.Resumed);
        var lists = services.Get<ListService>();
        Assert.Null((await lists.GetAsync("ag")).KeySummary);
        Assert.Equal(KeyStatus.Usable, (await lists.KeyStateAsync(await lists.GetAsync("ag"))).Status);
        Assert.True((await lists.GetAsync("ag")).KeySummary?.IsFor(rotated.List.PublicKey));
        // Members' judgements open under their key's tag: the listing reads no certificate.
        var listed = await membership.ListAsync(list.Name);
        Assert.Equal(2, listed.Count);
        Assert.All(await services.Get<MemberStore>().ListEntriesAsync(list.Id), e => Assert.NotNull(e.KeySummary));

        var audit = await services.Get<AuditStore>().ListAsync(list.Id);
        Assert.Equal(["member-added", "member-added", "key-replaced", "member-verified", "list-key-revoked", "list-key-rotated"], audit.Select(e => e.Action));
        Assert.Single(await services.Get<AuditStore>().ListAsync(list.Id, "ED25519@example.org"), e => e.Action == "key-replaced");
    }
}
