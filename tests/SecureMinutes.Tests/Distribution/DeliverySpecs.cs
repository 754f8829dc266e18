using SecureMinutes.Distribution;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Distribution;

/// <summary>
/// How one delivery attempt of a batch ends, for every answer a provider gives: the real send loop
/// (<see cref="BatchDelivery"/>, <see cref="DeliveryRunner"/>, <see cref="SendPacer"/>) on real SQLite with real
/// OpenPGP, the provider scripted (<see cref="ScriptedTransport"/>). What the SMTP replies map to is
/// <see cref="SmtpMailTransport"/>'s business and is tested against real servers in the integration tests.
/// </summary>
public sealed class DeliverySpecs : IAsyncLifetime
{
    private static readonly string[] Members = DeliveryScenario.Members;
    private DeliveryScenario _scenario = null!;

    private ScriptedTransport Provider => _scenario.Provider;

    private TestServices Services => _scenario.Services;

    private MailingList AgList => _scenario.List;

    private TestClock Clock => _scenario.Clock;

    private BatchDelivery Delivery => _scenario.Get<BatchDelivery>();

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private Task<Submission> SubmitAsync() => _scenario.SubmitAndPlanAsync();

    private Task<Dictionary<string, Delivery>> CopiesAsync(Submission submission) => _scenario.CopiesAsync(submission);

    private Task<IReadOnlyList<Submission>> NoticesAsync() => _scenario.NoticesAsync();

    private Task<MailingList> ListAsync() => _scenario.CurrentListAsync();

    [Fact]
    public async Task Batch_IsDeliveredOverOneConnection_AndTheSubmissionFinishes_WhenTheProviderAcceptsEveryCopy()
    {
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        Assert.Equal(1, Provider.Connections);
        Assert.Equal(Members, Provider.Accepted.Select(a => a.Recipient).Order());
        Assert.All((await CopiesAsync(submission)).Values, copy => Assert.Equal(DeliveryState.Delivered, copy.State));
        Assert.NotNull((await Services.Get<SubmissionStore>().GetAsync(submission.Id)).FinishedAt);
        Assert.Empty(await NoticesAsync());
    }

    [Fact]
    public async Task DeferredCopy_IsFailedTransient_AndTheBatchRetried_ThenItIsDeliveredOnTheRetry()
    {
        Provider.For("bob@example.org", ScriptedTransport.Defer);
        var submission = await SubmitAsync();

        var first = Assert.IsType<BatchNext.Retry>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));
        Assert.Contains("retry 1 of 2", first.Reason, StringComparison.Ordinal);
        var afterFirst = await CopiesAsync(submission);
        Assert.Equal(DeliveryState.FailedTransient, afterFirst["bob@example.org"].State);
        Assert.Equal("451 4.3.0 Temporary lookup failure", afterFirst["bob@example.org"].Detail);

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 1, default));
        Assert.Equal(DeliveryState.Delivered, (await CopiesAsync(submission))["bob@example.org"].State);
        Assert.Equal(3, Provider.Accepted.Count);
    }

    [Fact]
    public async Task AfterTheLastRetry_ACopyStillDeferred_FailsForGood_AndTheAdminsAreTold()
    {
        Provider.For("bob@example.org", ScriptedTransport.Defer, ScriptedTransport.Defer, ScriptedTransport.Defer);
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Retry>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));
        Assert.IsType<BatchNext.Retry>(await Delivery.DeliverAsync(submission.Id, 0, 1, default));
        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 2, default));

        var bob = (await CopiesAsync(submission))["bob@example.org"];
        Assert.Equal(DeliveryState.FailedPermanent, bob.State);
        Assert.StartsWith("gave up after 3 attempts: 451", bob.Detail, StringComparison.Ordinal);
        Assert.Single(await NoticesAsync());
    }

    [Fact]
    public async Task RejectedRecipient_FailsThatMemberOnly_AndTheAdminsAreTold()
    {
        Provider.For("bob@example.org", ScriptedTransport.Reject);
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        var copies = await CopiesAsync(submission);
        Assert.Equal(DeliveryState.FailedPermanent, copies["bob@example.org"].State);
        Assert.StartsWith("550 5.1.1", copies["bob@example.org"].Detail, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Delivered, copies["ana@example.org"].State);
        Assert.Equal(DeliveryState.Delivered, copies["chloe@example.org"].State);
        Assert.Equal(1, Provider.Connections);
        Assert.Single(await NoticesAsync());
    }

    [Fact]
    public async Task SlowDownReply_KeepsTheCopyUnblamed_SlowsTheListDown_AndSendsTheCopyLaterInTheSameRun()
    {
        Provider.For("ana@example.org", ScriptedTransport.SlowDown);
        var submission = await SubmitAsync();

        var list = await ListAsync();
        var result = await Services.Get<DeliveryRunner>().RunAsync(submission, list, 0);

        Assert.IsType<DeliveryStop.Finished>(result.Stop);
        Assert.Equal((3, 0, 1), (result.Delivered, result.Failed, result.Deferrals));
        Assert.Equal(["ana@example.org", "bob@example.org", "chloe@example.org", "ana@example.org"], Provider.Attempts);
        Assert.Equal(2, Provider.Connections);
        var pacing = await Services.Get<PacingStore>().GetAsync(AgList.Id);
        Assert.Equal(1, pacing.ThrottleCount);
        Assert.True(pacing.ThrottleInterval > TimeSpan.Zero);
        Assert.Equal(DeliveryState.Delivered, (await CopiesAsync(submission))["ana@example.org"].State);
    }

    [Fact]
    public async Task QuotaReply_PausesTheListUntilTheQuotaIsBack_WithEveryUnsentCopyStillQueued()
    {
        Provider.For("bob@example.org", ScriptedTransport.QuotaUsedUp);
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        var list = await ListAsync();
        Assert.True(list.IsPaused);
        Assert.True(ListPause.ResumesByItself(list.PausedReason!));
        var copies = await CopiesAsync(submission);
        Assert.Equal(DeliveryState.Delivered, copies["ana@example.org"].State);
        Assert.Equal(DeliveryState.Queued, copies["bob@example.org"].State);
        Assert.Equal(DeliveryState.Queued, copies["chloe@example.org"].State);
        Assert.Equal(1, Services.Get<Hangfire.JobStorage>().GetMonitoringApi().ScheduledCount());
        Assert.Single(await NoticesAsync());
    }

    [Fact]
    public async Task DroppedConnection_CountsThatCopyTransient_Reconnects_AndTheOthersGoOut()
    {
        Provider.For("bob@example.org", ScriptedTransport.DropConnection);
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Retry>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        var copies = await CopiesAsync(submission);
        Assert.Equal(DeliveryState.FailedTransient, copies["bob@example.org"].State);
        Assert.Contains("connection", copies["bob@example.org"].Detail, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Delivered, copies["chloe@example.org"].State);
        Assert.Equal(2, Provider.Connections);
    }

    [Fact]
    public async Task ConnectionDroppingEveryTime_EndsTheRunAfterThreeReconnects_AsConnectionLost()
    {
        foreach (var email in Members)
        {
            Provider.For(email, ScriptedTransport.DropConnection);
        }

        for (var i = 0; i < 4; i++)
        {
            await Services.Get<Membership>().AddAsync("ag", $"late{i}@example.org", TestKeys.FixtureBytes("ed25519"), "key.asc",
                new MemberOptions(AllowUserIdMismatch: true));
            Provider.For($"late{i}@example.org", ScriptedTransport.DropConnection);
        }

        var submission = await SubmitAsync();
        var result = await Services.Get<DeliveryRunner>().RunAsync(submission, await ListAsync(), 0);

        Assert.IsType<DeliveryStop.ConnectionLost>(result.Stop);
        Assert.Equal(4, result.Failed);
        Assert.Equal(4, Provider.Connections);
        Assert.Equal(3, (await CopiesAsync(submission)).Values.Count(c => c.State == DeliveryState.Queued));
    }

    [Fact]
    public async Task RefusedLogin_PausesTheList_KeepsEveryCopyQueued_AndTellsTheAdmins()
    {
        Provider.FailNextConnect(TransportFailure.Authentication, "smtp.example.test refused the login for ag: 535 5.7.8 authentication failed");
        var submission = await SubmitAsync();

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        var list = await ListAsync();
        Assert.True(list.IsPaused);
        Assert.Contains("refused the login", list.PausedReason, StringComparison.Ordinal);
        Assert.False(ListPause.ResumesByItself(list.PausedReason!));
        Assert.All((await CopiesAsync(submission)).Values, copy => Assert.Equal(DeliveryState.Queued, copy.State));
        Assert.Single(await NoticesAsync());
        Assert.Empty(Provider.Accepted);
    }

    [Fact]
    public async Task CopyClaimedByAnotherSender_IsLeftAlone_UntilItsLeaseExpires_ThenTakenOver()
    {
        var submission = await SubmitAsync();
        var bob = (await CopiesAsync(submission))["bob@example.org"];
        var lease = Services.Get<DeliveryOptions>().ClaimLease;
        Assert.True(await Services.Get<DeliveryStore>().TryClaimAsync(submission.Id, bob.MemberId, Clock.Now, Clock.Now - lease));

        Assert.IsType<BatchNext.Retry>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));
        Assert.DoesNotContain("bob@example.org", Provider.Attempts);
        Assert.Equal(DeliveryState.Sending, (await CopiesAsync(submission))["bob@example.org"].State);

        Clock.Advance(lease + TimeSpan.FromSeconds(1));
        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 1, default));
        Assert.Equal(DeliveryState.Delivered, (await CopiesAsync(submission))["bob@example.org"].State);
        Assert.Single(Provider.Accepted, a => a.Recipient == "bob@example.org");
    }

    [Fact]
    public async Task JobAbortedWhileTheProviderAnswers_RecordsTheCopyDelivered_ReleasesTheRest_AndNothingIsSentTwice()
    {
        // Hangfire aborts a run when another worker fetched its job again (SQLite storage: after the invisibility timeout).
        using var job = new CancellationTokenSource();
        Provider.For("bob@example.org", () =>
        {
            job.Cancel();
            return ScriptedTransport.Accept();
        });
        var submission = await SubmitAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Delivery.DeliverAsync(submission.Id, 0, 0, job.Token));

        var copies = await CopiesAsync(submission);
        Assert.Equal(DeliveryState.Delivered, copies["bob@example.org"].State);
        Assert.Equal(DeliveryState.Queued, copies["chloe@example.org"].State);
        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));
        Assert.Equal(Members, Provider.Accepted.Select(a => a.Recipient).Order());
    }

    [Fact]
    public async Task GroupSentMoreSlowlyThanTheClaimLease_KeepsItsClaims_SoNoOtherSenderTakesACopyNotYetSent()
    {
        var lease = Services.Get<DeliveryOptions>().ClaimLease;
        var store = Services.Get<DeliveryStore>();
        Submission? submission = null;
        long chloe = 0;
        IReadOnlySet<long>? takenByAnother = null;
        Provider.For("ana@example.org", () =>
        {
            Clock.Advance(lease * 0.6);
            return ScriptedTransport.Accept();
        });
        Provider.For("bob@example.org", () =>
        {
            Clock.Advance(lease * 0.6);
            takenByAnother = store.ClaimAsync(submission!.Id, [chloe], Clock.Now, Clock.Now - lease).GetAwaiter().GetResult();
            return ScriptedTransport.Accept();
        });
        submission = await SubmitAsync();
        chloe = (await CopiesAsync(submission))["chloe@example.org"].MemberId;

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        Assert.NotNull(takenByAnother);
        Assert.Empty(takenByAnother);
        Assert.Equal(Members, Provider.Accepted.Select(a => a.Recipient).Order());
    }

    [Fact]
    public async Task DailyCap_StopsTheRun_AndBringsTheBatchBackAtTheNextUtcDay_WithoutUsingARetry()
    {
        await Services.Get<ListStore>().UpdateSettingsAsync(AgList.Id, null, 2, 1, null);
        var submission = await SubmitAsync();

        var later = Assert.IsType<BatchNext.RunAgainAt>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        Assert.Equal(new DateTimeOffset(Clock.Now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero), later.At);
        Assert.Equal(2, Provider.Accepted.Count);
        Assert.Single((await CopiesAsync(submission)).Values, c => c.State == DeliveryState.Queued);
    }

    [Fact]
    public async Task PausedList_IsNotSentToAtAll()
    {
        var submission = await SubmitAsync();
        await Services.Get<ListStore>().PauseAsync(AgList.Id, "paused by a test", Clock.Now);

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));
        Assert.Equal(0, Provider.Connections);
    }

    [Fact]
    public async Task MemberWhoseKeyStoppedBeingUsable_IsSkipped_NeverSentInClear()
    {
        var submission = await SubmitAsync();
        await Services.Get<ListStore>().SetRequireVerifiedAsync(AgList.Id, true,
            new SecureMinutes.Keyring.AuditEntry(AgList.Id, Clock.Now, "test", SecureMinutes.Keyring.AuditActions.RequireVerified, null, null, null, null));

        Assert.IsType<BatchNext.Done>(await Delivery.DeliverAsync(submission.Id, 0, 0, default));

        Assert.All((await CopiesAsync(submission)).Values, copy => Assert.Equal(DeliveryState.SkippedNoKey, copy.State));
        Assert.Empty(Provider.Attempts);
    }
}
