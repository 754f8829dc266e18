using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Delivery;

/// <summary>
/// The send loop's claims on PostgreSQL, not only on SQLite (issue 12's grouped claims and the renewal that keeps a slow
/// group's copies from being taken over), and a submission's copies planned from members streamed one at a time.
/// </summary>
public sealed class DeliveryClaimsOnPostgresTests
{
    [Fact]
    public async Task GroupClaims_AreRenewedOnlyWhileTheirs_ReleasedOnes_AreQueuedAgain_AndStreamedPlanning_GivesEveryMemberACopy_OnPostgreSql()
    {
        using var work = new TempDir();
        await using var services = new InProcess(work.Combine("data"), await PostgresServer.CreateDatabaseAsync());
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<ProviderSetup>().SetOutboxAsync("ag", work.Combine("outbox"));
        var emails = new[] { "sacha@members.example.test", "camille@members.example.test", "dominique@members.example.test" };
        foreach (var email in emails)
        {
            var name = email.Split('@')[0];
            await services.Get<Membership>().AddAsync("ag", email, await File.ReadAllBytesAsync(RepoPaths.DemoKey(name + ".pub.asc")), name + ".pub.asc",
                new MemberOptions(AllowUserIdMismatch: true));
        }

        Assert.True(await services.Get<MemberStore>().AnyAsync(list.Id));
        var submitted = await services.Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("CR", "texte"));
        Assert.Equal(emails.Order(StringComparer.Ordinal), submitted.Deliveries.Select(d => d.Email));
        var ids = submitted.Deliveries.Select(d => d.MemberId).ToList();
        var deliveries = services.Get<DeliveryStore>();
        var lease = TimeSpan.FromMinutes(3);
        var claimedAt = DateTimeOffset.UtcNow;

        Assert.Equal(ids.ToHashSet(), await deliveries.ClaimAsync(submitted.Submission.Id, ids, claimedAt, claimedAt - lease));
        var later = claimedAt + lease + TimeSpan.FromSeconds(1);
        Assert.Equal([ids[2]], await deliveries.ClaimAsync(submitted.Submission.Id, [ids[2]], later, later - lease));
        Assert.Equal(ids[..2].ToHashSet(), await deliveries.ExtendClaimsAsync(submitted.Submission.Id, ids, claimedAt, later));
        Assert.Equal(2, await deliveries.ReleaseAsync(submitted.Submission.Id, ids[..2], later));
        var copies = await deliveries.ListAsync(submitted.Submission.Id);
        Assert.Equal([DeliveryState.Queued, DeliveryState.Queued, DeliveryState.Sending],
            ids.Select(id => copies.Single(c => c.MemberId == id).State));
    }
}
