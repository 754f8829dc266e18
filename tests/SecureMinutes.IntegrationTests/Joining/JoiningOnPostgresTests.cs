using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Joining;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.IntegrationTests.Joining;

/// <summary>Joining's queries on PostgreSQL (RETURNING, bytea, arrays for the challenge's recipient), not only on SQLite.</summary>
public sealed class JoiningOnPostgresTests
{
    [Fact]
    public async Task InviteChallengeAndConfirmation_WorkOnPostgreSql()
    {
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        await using var services = new InProcess(work.Combine("data"), databaseUrl,
            environment: new Dictionary<string, string?> { [SecureMinutesOptions.PublicUrlVariable] = "https://minutes.example.test" });
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<SecureMinutes.Mail.ProviderSetup>().SetOutboxAsync("ag", work.Combine("outbox"));

        var created = await services.Get<JoinInvites>().CreateAsync("ag", TimeSpan.FromDays(2), 300, needsApproval: false, "camille");
        Assert.Equal(created.Link, await services.Get<JoinInvites>().LinkAsync(list.Id, created.Invite.Id));
        var token = created.Link.AbsolutePath["/join/".Length..];
        var judged = await services.Get<JoinRequests>().RequestAsync(token, "sacha@members.example.test",
            await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")), "sacha.pub.asc", ListLanguage.English);
        Assert.Null(judged.Refusal);

        // The challenge's recipient is found by its negative delivery id, and the copy goes out.
        var submission = Assert.Single(await services.Get<SubmissionStore>().LatestAsync(list.Id, SubmissionKind.Notice, 5));
        var result = await services.Get<DeliveryRunner>().RunAsync(submission, list);
        Assert.Equal(1, result.Delivered);
        var text = string.Join("\n", (await services.Get<DistributionService>().OpenPayloadAsync(submission.Id)).BodyParts.OfType<MimeKit.TextPart>().Select(p => p.Text));
        var link = System.Text.RegularExpressions.Regex.Match(text, "/join/confirm/([A-Za-z0-9_-]+)").Groups[1].Value;

        var outcome = await services.Get<JoinRequests>().ConfirmAsync(link);
        Assert.IsType<JoinOutcome.Joined>(outcome);
        Assert.NotNull(await services.Get<MemberStore>().FindAsync(list.Id, "sacha@members.example.test"));
        Assert.IsType<JoinOutcome.Invalid>(await services.Get<JoinRequests>().ConfirmAsync(link));
        Assert.Equal(1, (await services.Get<JoinInviteStore>().ListAsync(list.Id))[0].Uses);
    }
}
