using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Retention;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>
/// Issue 17's shredding and list deletion are seen in the audit log (<see cref="DeliveryScenario"/>: list "ag", three
/// members, real SQLite): a purge or the daily retention writes one line in the list's log (how many, by whom or
/// "retention", when); a deleted list leaves one line in the list-less log (its name and key's fingerprint, by whom),
/// since its own log is deleted with it. No line names a member or holds minutes, and the stored lines are sealed.
/// </summary>
public sealed class RetentionAuditSpecs : IAsyncLifetime
{
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private T Get<T>() where T : notnull => _scenario.Get<T>();

    private async Task<IReadOnlyList<AuditEntry>> ShreddedLinesAsync() =>
        (await Get<AuditStore>().ListAsync(_scenario.List.Id)).Where(e => e.Action == AuditActions.MinutesShredded).ToList();

    private static void AssertNamesNoMemberAndNoMinutes(string text)
    {
        Assert.All(DeliveryScenario.Members, address => Assert.DoesNotContain(address, text, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Décisions", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Compte-rendu", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_WritesOneLineInTheListsLog_SayingHowManyWereShreddedByWhomAndWhen()
    {
        await _scenario.SubmitAsync();
        await _scenario.SubmitAsync();
        _scenario.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(2, await Get<Shredding>().PurgeAsync("ag", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), "camille"));
        Assert.Equal(0, await Get<Shredding>().PurgeAsync("ag", before: null, "dominique"));

        var lines = await ShreddedLinesAsync();
        Assert.Equal(["camille", "dominique"], lines.Select(l => l.Actor));
        Assert.All(lines, l => Assert.Equal(_scenario.Clock.Now, l.At, TimeSpan.FromMilliseconds(1)));
        Assert.All(lines, l => Assert.Equal((null, null, null), (l.MemberEmail, l.OldFingerprint, l.NewFingerprint)));
        Assert.Equal("purge --before 2099-01-01 00:00 UTC: 2 submission(s) shredded (keys and content destroyed; ids, dates and delivery states kept)",
            lines[0].Detail);
        Assert.StartsWith("purge --all: 0 submission(s) shredded", lines[1].Detail, StringComparison.Ordinal);
        Assert.All(lines, l => AssertNamesNoMemberAndNoMinutes(l.Detail!));
    }

    [Fact]
    public async Task Retention_WritesALineByRetention_OnlyWhenItShreddedSomething()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        Assert.IsType<BatchNext.Done>(await Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));
        _scenario.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await Get<Shredding>().ApplyRetentionAsync());
        Assert.Empty(await ShreddedLinesAsync());

        _scenario.Clock.Advance(TimeSpan.FromDays(1.01));
        Assert.Equal(1, await Get<Shredding>().ApplyRetentionAsync());
        Assert.Equal(0, await Get<Shredding>().ApplyRetentionAsync());

        var line = Assert.Single(await ShreddedLinesAsync());
        Assert.Equal(Shredding.RetentionActor, line.Actor);
        Assert.Equal(_scenario.Clock.Now, line.At, TimeSpan.FromMilliseconds(1));
        Assert.Equal("retention (30 day(s) after the last copy): 1 submission(s) shredded (keys and content destroyed; ids, dates and delivery states kept)", line.Detail);
        Assert.Null(line.MemberEmail);
    }

    [Fact]
    public async Task DeletedList_LeavesOneListLessLine_WithItsNameKeyFingerprintAndWhoDeletedIt_SealedAtRest()
    {
        var victim = await Get<ListService>().CreateAsync("victim-list", "victim@lists.example.test", "Victim");
        await Get<Membership>().AddAsync("victim-list", "vera@victim.example", TestKeys.FixtureBytes("ed25519"), "key.asc", new MemberOptions(AllowUserIdMismatch: true));
        await Get<Shredding>().PurgeAsync("victim-list", before: null, "camille");
        Assert.Empty(await Get<ServiceAuditStore>().ListAsync());

        await Get<ListDeletion>().DeleteAsync("victim-list", "camille");

        var line = Assert.Single(await Get<ServiceAuditStore>().ListAsync());
        Assert.Equal(("camille", AuditActions.ListDeleted, "victim-list"), (line.Actor, line.Action, line.ListName));
        Assert.Equal(_scenario.Clock.Now, line.At, TimeSpan.FromMilliseconds(1));
        Assert.Equal($"key {victim.KeyFingerprint.Hex}; its keys, minutes, members and audit log destroyed", line.Detail);
        Assert.DoesNotContain("vera", line.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Get<AuditStore>().ListAsync(victim.Id)); // the list's own log went with it, its purge line included

        // At rest the list's name and fingerprint are sealed: the database alone does not tell which lists existed.
        await using var connection = await Get<Database>().OpenAsync();
        var stored = (await connection.QueryAsync<(string Actor, string Action, string ListName, string Detail)>(
            "SELECT actor, action, list_name, detail FROM service_audit")).Single();
        Assert.Equal(("camille", AuditActions.ListDeleted), (stored.Actor, stored.Action));
        Assert.True(DirectorySealing.IsSealed(stored.ListName) && DirectorySealing.IsSealed(stored.Detail));
        Assert.DoesNotContain("victim", stored.ListName + stored.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(victim.KeyFingerprint.Hex[..16], stored.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ShreddingLines_AreStoredSealed_LikeEveryAuditDetail()
    {
        await _scenario.SubmitAsync();
        await Get<Shredding>().PurgeAsync("ag", before: null, "camille");

        await using var connection = await Get<Database>().OpenAsync();
        var stored = (await connection.QueryAsync<(string? MemberIndex, string Detail)>(
            "SELECT member_index, detail FROM key_audit WHERE action = @action", new { action = AuditActions.MinutesShredded })).Single();
        Assert.Null(stored.MemberIndex);
        Assert.True(DirectorySealing.IsSealed(stored.Detail));
    }
}
