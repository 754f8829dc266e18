using System.Security.Cryptography;
using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Retention;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>
/// Crypto-shredding (issue 17) on the delivery stage (<see cref="DeliveryScenario"/>: list "ag", three members, real
/// SQLite, a scripted provider): <c>purge</c> and the daily retention destroy a submission's own key and content,
/// keep its id, dates and delivery states, and what is gone cannot be opened, not even with the vault.
/// </summary>
public sealed class ShreddingSpecs : IAsyncLifetime
{
    private DeliveryScenario _scenario = null!;

    private Shredding Shredding => _scenario.Get<Shredding>();

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private async Task<Submission> DeliveredAsync()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        Assert.IsType<BatchNext.Done>(await _scenario.Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));
        return await _scenario.Get<SubmissionStore>().GetAsync(submission.Id);
    }

    private async Task<(byte[] Payload, byte[]? Key)> StoredBytesAsync(string submissionId)
    {
        await using var connection = await _scenario.Get<Database>().OpenAsync();
        var payload = await connection.ExecuteScalarAsync<byte[]>("SELECT sealed_payload FROM submissions WHERE id = @submissionId", new { submissionId });
        var key = await connection.ExecuteScalarAsync<byte[]?>("SELECT sealed_key FROM submission_keys WHERE submission_id = @submissionId", new { submissionId });
        return (payload!, key);
    }

    [Fact]
    public async Task EachSubmission_IsSealedUnderItsOwnKey_WhichTheVaultSeals_SoTheVaultAloneDoesNotOpenThePayload()
    {
        var submission = await _scenario.SubmitAsync();
        var (payload, key) = await StoredBytesAsync(submission.Id);

        Assert.NotNull(key);
        Assert.Throws<AuthenticationTagMismatchException>(() => _scenario.Get<Vault>().Box.Open(payload, $"submission-payload:{submission.Id}"));
        Assert.Equal("Compte-rendu", (await _scenario.Get<DistributionService>().OpenPayloadAsync(submission.Id)).Subject);
    }

    [Fact]
    public async Task PurgedSubmission_CannotBeOpened_EvenWithTheVaultKey_AndItsBytesAreGoneFromTheDatabaseFiles()
    {
        var submission = await DeliveredAsync();
        var (payloadBefore, keyBefore) = await StoredBytesAsync(submission.Id);

        Assert.Equal(1, await Shredding.PurgeAsync("ag", before: null, "test"));

        var (payloadAfter, keyAfter) = await StoredBytesAsync(submission.Id);
        Assert.Empty(payloadAfter);
        Assert.Null(keyAfter);
        // An attacker with the vault key and the payload bytes copied before the purge, but not its key: nothing opens.
        var sealing = _scenario.Get<SubmissionSealing>();
        Assert.ThrowsAny<CryptographicException>(() => sealing.Open(submission.Id, new SealedContent(payloadBefore, null)));
        Assert.ThrowsAny<CryptographicException>(() => sealing.Open(submission.Id, new SealedContent(payloadAfter, null)));
        await Assert.ThrowsAsync<ContentShreddedException>(() => _scenario.Get<DistributionService>().OpenPayloadAsync(submission.Id));
        // secure_delete and the WAL checkpoint: neither the sealed key nor the sealed payload is left in the files.
        var files = Directory.GetFiles(_scenario.Services.DataDirectory, "secureminutes.db*").Select(File.ReadAllBytes).ToList();
        Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(keyBefore!.AsSpan(13, 32))));
        Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(payloadBefore.AsSpan(29, 32))));
    }

    [Fact]
    public async Task PurgedSubmission_KeepsItsIdDateAndEachMembersState_AndStatusSaysWhenItWasShredded()
    {
        var submission = await DeliveredAsync();
        _scenario.Clock.Advance(TimeSpan.FromDays(2));

        await Shredding.PurgeAsync("ag", before: null, "test");

        var status = await _scenario.Get<DistributionService>().StatusAsync(submission.Id);
        Assert.Equal(_scenario.Clock.Now, status.Submission.ShreddedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(submission.CreatedAt, status.Submission.CreatedAt);
        Assert.Equal(DeliveryScenario.Members, status.Deliveries.Select(d => d.Email).Order());
        Assert.All(status.Deliveries, d => Assert.Equal(DeliveryState.Delivered, d.State));
        Assert.Null(status.Submission.ContentMac);
    }

    [Fact]
    public async Task PurgeBefore_ShredsOnlyWhatWasSubmittedBefore_AndCancelsCopiesOfTheShreddedThatWereStillWaiting()
    {
        var old = await _scenario.SubmitAsync();
        _scenario.Clock.Advance(TimeSpan.FromDays(3));
        var recent = await _scenario.Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("Suite", "Autres décisions."));

        Assert.Equal(1, await Shredding.PurgeAsync("ag", _scenario.Clock.Now.AddDays(-1), "test"));

        Assert.NotNull((await _scenario.Get<SubmissionStore>().GetAsync(old.Id)).ShreddedAt);
        Assert.All((await _scenario.CopiesAsync(old)).Values, copy => Assert.Equal(DeliveryState.Cancelled, copy.State));
        Assert.Equal("Suite", (await _scenario.Get<DistributionService>().OpenPayloadAsync(recent.Submission.Id)).Subject);
        Assert.Equal(DeliveryRunResult.Nothing, await _scenario.Get<DeliveryRunner>().RunAsync(
            await _scenario.Get<SubmissionStore>().GetAsync(old.Id), _scenario.List));
    }

    [Fact]
    public async Task Retention_ShredsMinutesThirtyDaysAfterTheirLastCopyWasDelivered_ByDefault()
    {
        var submission = await DeliveredAsync();

        _scenario.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await Shredding.ApplyRetentionAsync());
        _scenario.Clock.Advance(TimeSpan.FromDays(1.01));
        Assert.Equal(1, await Shredding.ApplyRetentionAsync());

        Assert.NotNull((await _scenario.Get<SubmissionStore>().GetAsync(submission.Id)).ShreddedAt);
        Assert.Equal(0, await Shredding.ApplyRetentionAsync());
    }

    [Fact]
    public async Task Retention_FollowsTheListsKeep_AndNeverShredsWhatIsStillBeingSent()
    {
        await _scenario.Get<RetentionStore>().SetKeepDaysAsync(_scenario.List.Id, 7);
        var delivered = await DeliveredAsync();
        var waiting = await _scenario.SubmitAsync();

        _scenario.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await Shredding.ApplyRetentionAsync());

        Assert.NotNull((await _scenario.Get<SubmissionStore>().GetAsync(delivered.Id)).ShreddedAt);
        Assert.Null((await _scenario.Get<SubmissionStore>().GetAsync(waiting.Id)).ShreddedAt);
    }

    [Fact]
    public async Task LateJoiner_IsNotSentShreddedMinutes()
    {
        await DeliveredAsync();
        await Shredding.PurgeAsync("ag", before: null, "test");
        var member = await _scenario.Get<Membership>().AddAsync("ag", "dora@example.org", TestKeys.FixtureBytes("ed25519"), "key.asc",
            new MemberOptions(AllowUserIdMismatch: true));

        await _scenario.Get<Redistribution>().CatchUpAsync(member.Member.Id, default);

        var latest = Assert.Single(await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Minutes, 5));
        Assert.DoesNotContain("dora@example.org", (await _scenario.CopiesAsync(latest)).Keys);
    }

    [Fact]
    public async Task Digest_LeavesShreddedMinutesOut()
    {
        await _scenario.Get<Membership>().SetFlagsAsync("ag", "bob@example.org", isAdmin: null, wantsDigest: true);
        var shredded = await DeliveredAsync();
        await Shredding.PurgeAsync("ag", before: null, "test");
        _scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        await _scenario.Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("Gardé", "Texte."));

        await _scenario.Get<Digests>().SendAsync(_scenario.List.Id, default);

        var digest = Assert.Single(await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Digest, 5));
        var payload = await _scenario.Get<DistributionService>().OpenPayloadAsync(digest.Id);
        Assert.Contains("1 compte(s)-rendu(s)", payload.Subject, StringComparison.Ordinal);
        Assert.NotNull((await _scenario.Get<SubmissionStore>().GetAsync(shredded.Id)).ShreddedAt);
    }

    [Fact]
    public async Task RetryingTheFailedCopiesOfAShreddedSubmission_IsRefused()
    {
        var submission = await DeliveredAsync();
        await Shredding.PurgeAsync("ag", before: null, "test");

        await Assert.ThrowsAsync<ContentShreddedException>(() => _scenario.Get<DeliveryControl>().RetryFailedAsync(submission.Id, "test"));
    }
}
