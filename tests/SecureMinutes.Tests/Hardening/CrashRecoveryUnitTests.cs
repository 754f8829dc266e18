using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Kind 8, the parts that need no process to be killed (those are in the integration tests): a dead worker's
/// claims and batch leases are released at once, a live one's never, and a batch has one runner at a time.
/// </summary>
[Trait("Suite", "Hardening")]
public sealed class CrashRecoveryUnitTests : IAsyncLifetime
{
    // A process of this machine that cannot be running: pid 4194304 is above Linux's pid_max.
    private static readonly string DeadWorker = $"{Environment.MachineName.ToLowerInvariant()}/4194304/1";
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public void ThisProcess_IsAlive_AndAGonePid_IsDead()
    {
        Assert.False(WorkerIdentity.IsGoneFromThisHost(WorkerIdentity.Current));
        Assert.True(WorkerIdentity.IsGoneFromThisHost(DeadWorker));
        Assert.False(WorkerIdentity.IsGoneFromThisHost("another-machine/1/1"));
        Assert.Equal(WorkerIdentity.Current, WorkerIdentity.FromServerId($"secureminutes-worker@{WorkerIdentity.Current}:0f8fad5b-d9cb-469f-a165-70867728950e"));
    }

    [Fact]
    public async Task Recovery_QueuesAgainTheCopiesADeadWorkerHadClaimed_AndReleasesItsLeases()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        var memberId = (await _scenario.CopiesAsync(submission))[DeliveryScenario.Members[0]].MemberId; // addresses are sealed: found by member id
        await using (var connection = await _scenario.Get<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE deliveries SET state = 'sending', claimed_by = @DeadWorker, updated_at = @now WHERE member_id = @memberId",
                new { DeadWorker, now = _scenario.Clock.Now.ToUnixTimeMilliseconds(), memberId });
        }

        var leases = _scenario.Get<BatchLeaseStore>();
        Assert.True(await leases.TryAcquireAsync(submission.Id, 0, DeadWorker + "#run", _scenario.Clock.Now, _scenario.Clock.Now.AddHours(1)));

        var recovered = await _scenario.Get<DeadWorkerRecovery>().RecoverAsync();

        Assert.Contains(DeadWorker, recovered);
        var copy = (await _scenario.CopiesAsync(submission))[DeliveryScenario.Members[0]];
        Assert.Equal(DeliveryState.Queued, copy.State);
        Assert.Contains("may arrive twice", copy.Detail, StringComparison.Ordinal);
        Assert.True(await leases.TryAcquireAsync(submission.Id, 0, WorkerIdentity.Current + "#me", _scenario.Clock.Now, _scenario.Clock.Now.AddMinutes(1)));
    }

    [Fact]
    public async Task Recovery_LeavesALiveWorkersClaimsAlone()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        var deliveries = _scenario.Get<DeliveryStore>();
        var member = (await _scenario.CopiesAsync(submission))[DeliveryScenario.Members[1]].MemberId;
        Assert.True(await deliveries.TryClaimAsync(submission.Id, member, _scenario.Clock.Now, _scenario.Clock.Now.AddMinutes(-3)));

        await _scenario.Get<DeadWorkerRecovery>().RecoverAsync();

        Assert.Equal(DeliveryState.Sending, (await _scenario.CopiesAsync(submission))[DeliveryScenario.Members[1]].State);
    }

    [Fact]
    public async Task ABatchLease_IsHeldByOneRunAtATime_UntilReleasedOrExpired()
    {
        var leases = _scenario.Get<BatchLeaseStore>();
        var now = _scenario.Clock.Now;

        Assert.True(await leases.TryAcquireAsync("sub-a", 0, "w/1/1#first", now, now.AddMinutes(1)));
        Assert.False(await leases.TryAcquireAsync("sub-a", 0, "w/1/1#second", now, now.AddMinutes(1)));
        Assert.True(await leases.TryAcquireAsync("sub-a", 1, "w/1/1#second", now, now.AddMinutes(1)));
        Assert.True(await leases.TryAcquireAsync("sub-a", 0, "w/1/1#second", now.AddMinutes(2), now.AddMinutes(3)));
        Assert.False(await leases.RenewAsync("sub-a", 0, "w/1/1#first", now.AddMinutes(4)));
    }

    [Fact]
    public async Task TwoRunsOfOneBatch_AtOnce_SendEachCopyOnce()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        var delivery = _scenario.Get<BatchDelivery>();

        await Task.WhenAll(delivery.DeliverAsync(submission.Id, 0, 0, default), delivery.DeliverAsync(submission.Id, 0, 0, default));

        Assert.Equal(DeliveryScenario.Members.Length, _scenario.Provider.Accepted.Count);
        Assert.All((await _scenario.CopiesAsync(submission)).Values, c => Assert.Equal(DeliveryState.Delivered, c.State));
    }
}
