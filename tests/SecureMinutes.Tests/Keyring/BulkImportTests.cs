using System.Text;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keyring;

/// <summary><c>member import</c>: a whole keyring or CSV at once, one line per key, refusals with their reason.</summary>
public sealed class BulkImportTests : IAsyncLifetime, IDisposable
{
    private const string ListName = "ag";
    private readonly TestServices _services = new();
    private readonly TempDirectory _files = new();

    private BulkImport Import => _services.Get<BulkImport>();

    public async Task InitializeAsync() => await _services.Get<ListService>().CreateAsync(ListName, "ag@lists.example.test", "AG");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _services.Dispose();
        _files.Dispose();
    }

    private static byte[] Keyring(params string[] fixtures) =>
        Encoding.ASCII.GetBytes(string.Join("\n", fixtures.Select(f => Encoding.ASCII.GetString(TestKeys.FixtureBytes(f)))));

    private static ImportRow Row(BulkImportResult result, string fixture) =>
        Assert.Single(result.Rows, r => r.Fingerprint?.Hex == TestKeys.Expected(fixture).Primary);

    [Fact]
    public async Task ImportKeyring_AddsOneMemberPerUsableKey_NamedByItsPrimaryUserId_AndRefusesTheOthersWithTheReason()
    {
        var result = await Import.ImportKeyringAsync(ListName, Keyring("rsa3072", "ed25519", "twouid", "sq-cv25519", "expired", "revoked", "signonly"),
            "ag.asc", new BulkImportOptions("camille"), default);

        Assert.Equal(4, result.Accepted);
        Assert.Equal(3, result.Refused);
        Assert.Equal(("added", "rsa3072@example.org"), (Row(result, "rsa3072").Status, Row(result, "rsa3072").Email));
        Assert.Equal("added", Row(result, "twouid").Status);
        Assert.Contains("expired on 2020-12-31", Row(result, "expired").Detail, StringComparison.Ordinal);
        Assert.Contains("revoked", Row(result, "revoked").Detail, StringComparison.Ordinal);
        Assert.Contains("no encryption-capable", Row(result, "signonly").Detail, StringComparison.Ordinal);
        var members = await _services.Get<Membership>().ListAsync(ListName);
        Assert.Equal(4, members.Count);
        var list = await _services.Get<ListStore>().GetAsync(ListName);
        Assert.Equal(4, (await _services.Get<AuditStore>().ListAsync(list.Id)).Count(e => e.Action == AuditActions.MemberAdded && e.Actor == "camille"));
    }

    [Fact]
    public async Task ImportKeyring_Again_LeavesEveryMemberUnchanged_AndRefusesADifferentKeyForAMember()
    {
        await Import.ImportKeyringAsync(ListName, Keyring("rsa3072", "ed25519"), "ag.asc", new BulkImportOptions("camille"), default);
        await _services.Get<Membership>().AddAsync(ListName, "twosub@example.org", TestKeys.FixtureBytes("rsa4096"), "other.asc",
            new MemberOptions(AllowUserIdMismatch: true));

        var again = await Import.ImportKeyringAsync(ListName, Keyring("rsa3072", "ed25519", "twosub"), "ag.asc", new BulkImportOptions("camille"), default);

        Assert.Equal(["unchanged", "unchanged"], new[] { Row(again, "rsa3072").Status, Row(again, "ed25519").Status });
        Assert.Equal(ImportRow.Refused, Row(again, "twosub").Status);
        Assert.Contains("--replace", Row(again, "twosub").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportKeyring_RefusesTheWholeFile_WhenItHoldsASecretKey_AndStoresNothing()
    {
        var withSecret = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Keyring("rsa3072")) + "\n" + Encoding.ASCII.GetString(TestKeys.FixtureBytes("ed25519", secret: true)));

        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Import.ImportKeyringAsync(ListName, withSecret, "ag.asc", new BulkImportOptions("camille"), default));

        Assert.Contains("SECRET key", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _services.Get<Membership>().ListAsync(ListName));
    }

    [Fact]
    public async Task ImportCsv_MapsAddressesToKeyFiles_VerifiesGivenFingerprints_AndRefusesBadLines()
    {
        File.Copy(TestKeys.FixturePath("rsa3072"), _files.File("camille.asc"));
        File.Copy(TestKeys.FixturePath("ed25519"), _files.File("dominique.asc"));
        File.Copy(TestKeys.FixturePath("rsa4096", secret: true), _files.File("sacha-secret.asc"));
        await File.WriteAllTextAsync(_files.File("ag.csv"), $"""
            email,keyfile,fingerprint
            # la liste de l'AG
            camille@example.org,camille.asc
            dominique@example.org,dominique.asc,{TestKeys.Expected("ed25519").Primary}
            sacha@example.org,sacha-secret.asc
            lou@example.org,missing.asc
            not an address,camille.asc
            """);

        var result = await Import.ImportCsvAsync(ListName, _files.File("ag.csv"), new BulkImportOptions("camille", AllowUserIdMismatch: true), default);

        Assert.Equal(2, result.Accepted);
        var rows = result.Rows.ToDictionary(r => r.Email ?? "", r => r);
        Assert.Equal("added", rows["camille@example.org"].Status);
        Assert.EndsWith("verified", rows["dominique@example.org"].Detail, StringComparison.Ordinal);
        Assert.Contains("SECRET key", rows["sacha@example.org"].Detail, StringComparison.Ordinal);
        Assert.Contains("cannot be read", rows["lou@example.org"].Detail, StringComparison.Ordinal);
        Assert.Contains("not a valid e-mail", rows["not an address"].Detail, StringComparison.Ordinal);
        var members = (await _services.Get<Membership>().ListAsync(ListName)).ToDictionary(m => m.Member.Email);
        Assert.True(members["dominique@example.org"].Member.IsVerified);
        Assert.False(members["camille@example.org"].Member.IsVerified);
    }

    [Fact]
    public async Task ImportKeyring_DryRun_StoresNothing()
    {
        var result = await Import.ImportKeyringAsync(ListName, Keyring("rsa3072", "ed25519"), "ag.asc", new BulkImportOptions("camille", DryRun: true), default);

        Assert.Equal(2, result.Accepted);
        Assert.Empty(await _services.Get<Membership>().ListAsync(ListName));
    }
}
