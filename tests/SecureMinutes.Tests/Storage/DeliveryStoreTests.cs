using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Storage;

/// <summary>The per-member delivery states on a real SQLite file: claims, leases, batches, giving up, requeueing.</summary>
public sealed class DeliveryStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TestServices _services = new();
    private readonly DeliveryStore _deliveries;
    private readonly DistributionService _distribution;
    private readonly Membership _membership;
    private readonly ListService _lists;
    private readonly ProviderSetup _providerSetup;
    private string _submissionId = "";
    private List<long> _memberIds = [];

    public DeliveryStoreTests()
    {
        _deliveries = _services.Get<DeliveryStore>();
        _lists = _services.Get<ListService>();
        _membership = _services.Get<Membership>();
        _distribution = _services.Get<DistributionService>();
        _providerSetup = _services.Get<ProviderSetup>();
    }

    public async Task InitializeAsync()
    {
        await _lists.CreateAsync("ag", "ag@lists.example.test", null);
        await _providerSetup.SetOutboxAsync("ag", Path.Combine(_services.DataDirectory, "outbox"));
        for (var i = 0; i < 7; i++)
        {
            await _membership.AddAsync("ag", $"m{i}@example.org", TestKeys.FixtureBytes("ed25519"), "ed25519.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        }

        var submitted = await _distribution.SubmitAsync("ag", new MinutesDocument("CR", "texte"));
        _submissionId = submitted.Submission.Id;
        _memberIds = submitted.Deliveries.Select(d => d.MemberId).ToList();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task TryClaim_GivesACopyToOneSenderOnly()
    {
        var now = DateTimeOffset.UtcNow;
        var first = await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], now, now.AddMinutes(-3));
        var second = await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], now, now.AddMinutes(-3));

        Assert.True(first);
        Assert.False(second);
    }

    [Fact]
    public async Task Claim_TakesOnlyTheCopiesNoLiveSenderHolds_InOneWrite()
    {
        var now = DateTimeOffset.UtcNow;
        await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], now, now.AddMinutes(-3));
        await _deliveries.MarkAsync(_submissionId, _memberIds[1], DeliveryState.Delivered, "250", now);

        var claimed = await _deliveries.ClaimAsync(_submissionId, _memberIds[..4], now, now.AddMinutes(-3));

        Assert.Equal(_memberIds[2..4].ToHashSet(), claimed);
    }

    [Fact]
    public async Task ExtendClaims_RenewsOnlyTheClaimStillThisSenders_NotOneAnotherSenderTookOver()
    {
        var claimedAt = DateTimeOffset.UtcNow;
        var lease = TimeSpan.FromMinutes(3);
        await _deliveries.ClaimAsync(_submissionId, _memberIds[..3], claimedAt, claimedAt - lease);
        var later = claimedAt + lease + TimeSpan.FromSeconds(1);
        Assert.Equal([_memberIds[2]], await _deliveries.ClaimAsync(_submissionId, [_memberIds[2]], later, later - lease));

        var held = await _deliveries.ExtendClaimsAsync(_submissionId, _memberIds[..3], claimedAt, later);

        Assert.Equal(_memberIds[..2].ToHashSet(), held);
        Assert.Empty(await _deliveries.ClaimAsync(_submissionId, _memberIds[..2], later + TimeSpan.FromSeconds(1), later + TimeSpan.FromSeconds(1) - lease));
    }

    [Fact]
    public async Task Release_QueuesUnsentCopiesAgain_WithoutCountingTheAttempt()
    {
        var now = DateTimeOffset.UtcNow;
        await _deliveries.ClaimAsync(_submissionId, _memberIds[..2], now, now.AddMinutes(-3));

        Assert.Equal(2, await _deliveries.ReleaseAsync(_submissionId, _memberIds[..2], now));

        var copies = (await _deliveries.ListAsync(_submissionId)).Where(c => _memberIds[..2].Contains(c.MemberId)).ToList();
        Assert.All(copies, c => Assert.Equal((DeliveryState.Queued, 0), (c.State, c.Attempts)));
        Assert.Equal(2, (await _deliveries.ClaimAsync(_submissionId, _memberIds[..2], now, now.AddMinutes(-3))).Count);
    }

    [Fact]
    public async Task Recorder_RelaxedAndDurableAnswersAreAllRecorded_AndTheConnectionGoesBackDurable()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var recorder = await _deliveries.OpenRecorderAsync())
        {
            await recorder.RecordAsync(_submissionId, _memberIds[0], DeliveryState.Delivered, "250 relaxed", now, durable: false);
            await recorder.RecordAsync(_submissionId, _memberIds[1], DeliveryState.FailedPermanent, "550 durable", now, durable: true);
            await recorder.RecordAsync(_submissionId, _memberIds[2], DeliveryState.Delivered, null, now, durable: false);
        }

        var copies = (await _deliveries.ListAsync(_submissionId)).ToDictionary(c => c.MemberId);
        Assert.Equal((DeliveryState.Delivered, "250 relaxed"), (copies[_memberIds[0]].State, copies[_memberIds[0]].Detail));
        Assert.Equal((DeliveryState.FailedPermanent, "550 durable"), (copies[_memberIds[1]].State, copies[_memberIds[1]].Detail));
        Assert.Equal(DeliveryState.Delivered, copies[_memberIds[2]].State);
        // Every pooled connection commits durably again (2 = FULL): a relaxed setting never leaks to another caller.
        var database = _services.Get<Database>();
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            Assert.Equal(2L, await command.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task TryClaim_TakesOverACopyWhoseSenderDied_OnlyAfterTheLease()
    {
        var claimedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        Assert.True(await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], claimedAt, claimedAt.AddMinutes(-3)));

        var soon = claimedAt.AddMinutes(1);
        Assert.False(await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], soon, soon.AddMinutes(-3)));
        var later = claimedAt.AddMinutes(5);
        Assert.True(await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], later, later.AddMinutes(-3)));
        var copy = (await _deliveries.ListAsync(_submissionId)).Single(d => d.MemberId == _memberIds[0]);
        Assert.Equal(2, copy.Attempts);
    }

    [Fact]
    public async Task TryClaim_NeverTakesADeliveredCopy()
    {
        var now = DateTimeOffset.UtcNow;
        await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], now, now);
        await _deliveries.MarkAsync(_submissionId, _memberIds[0], DeliveryState.Delivered, "250 ok", now);

        Assert.False(await _deliveries.TryClaimAsync(_submissionId, _memberIds[0], now.AddHours(1), now.AddHours(1)));
        Assert.DoesNotContain(_memberIds[0], await _deliveries.PendingMemberIdsAsync(_submissionId));
    }

    [Fact]
    public async Task AssignBatches_SplitsPendingCopiesOnce_AndReturnsOnlyBatchesWithPendingCopies()
    {
        var batches = await _deliveries.AssignBatchesAsync(_submissionId, batchSize: 3);
        Assert.Equal([0, 1, 2], batches);
        Assert.Equal(3, (await _deliveries.PendingMemberIdsAsync(_submissionId, batch: 0)).Count);
        Assert.Single(await _deliveries.PendingMemberIdsAsync(_submissionId, batch: 2));

        foreach (var id in await _deliveries.PendingMemberIdsAsync(_submissionId, batch: 1))
        {
            await _deliveries.MarkAsync(_submissionId, id, DeliveryState.Delivered, "250", DateTimeOffset.UtcNow);
        }

        Assert.Equal([0, 2], await _deliveries.AssignBatchesAsync(_submissionId, batchSize: 3));
    }

    [Fact]
    public async Task GiveUp_FailsOnlyTheDeferredCopiesOfThatBatch_KeepingTheProvidersAnswer()
    {
        await _deliveries.AssignBatchesAsync(_submissionId, batchSize: 4);
        var batch0 = await _deliveries.PendingMemberIdsAsync(_submissionId, batch: 0);
        await _deliveries.MarkAsync(_submissionId, batch0[0], DeliveryState.FailedTransient, "451 4.3.0 try later", DateTimeOffset.UtcNow);
        await _deliveries.MarkAsync(_submissionId, batch0[1], DeliveryState.Delivered, "250", DateTimeOffset.UtcNow);

        var failed = await _deliveries.GiveUpAsync(_submissionId, 0, "gave up after 9 attempts", DateTimeOffset.UtcNow);

        Assert.Equal(3, failed);
        var copies = await _deliveries.ListAsync(_submissionId);
        Assert.Equal("gave up after 9 attempts: 451 4.3.0 try later", copies.Single(c => c.MemberId == batch0[0]).Detail);
        Assert.Equal(DeliveryState.Delivered, copies.Single(c => c.MemberId == batch0[1]).State);
        Assert.All(copies.Where(c => !batch0.Contains(c.MemberId)), c => Assert.Equal(DeliveryState.Queued, c.State));
    }

    [Fact]
    public async Task RequeueSkipped_QueuesAgainOnlyThatMembersSkippedCopies()
    {
        await _deliveries.MarkAsync(_submissionId, _memberIds[2], DeliveryState.SkippedNoKey, "not sent: the key expired", DateTimeOffset.UtcNow);
        await _deliveries.MarkAsync(_submissionId, _memberIds[3], DeliveryState.SkippedNoKey, "not sent: the key expired", DateTimeOffset.UtcNow);

        var submissions = await _deliveries.RequeueSkippedAsync(_memberIds[2], "ABCD", DateTimeOffset.UtcNow);

        Assert.Equal([_submissionId], submissions);
        var copies = await _deliveries.ListAsync(_submissionId);
        Assert.Equal(DeliveryState.Queued, copies.Single(c => c.MemberId == _memberIds[2]).State);
        Assert.Equal(DeliveryState.SkippedNoKey, copies.Single(c => c.MemberId == _memberIds[3]).State);
    }

    [Fact]
    public async Task Add_LeavesExistingCopiesAsTheyAre()
    {
        var existing = (await _deliveries.ListAsync(_submissionId))[0];
        await _deliveries.MarkAsync(_submissionId, existing.MemberId, DeliveryState.Delivered, "250", DateTimeOffset.UtcNow);

        var added = await _deliveries.AddAsync([existing with { State = DeliveryState.Queued }]);

        Assert.Equal(0, added);
        Assert.Equal(DeliveryState.Delivered, (await _deliveries.ListAsync(_submissionId)).Single(c => c.MemberId == existing.MemberId).State);
    }
}
