using System.Data.Common;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Retention;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// Retention's queries on PostgreSQL (issue 17), not only on SQLite: minutes delivered, shredded 30 days later by the
/// daily pass (a pg_dump then holds neither their key nor their content), Hangfire's PostgreSQL job history purged,
/// and <c>list delete</c> leaving no row of the list in any table; the shredding and the deletion each leave their audit line.
/// </summary>
public sealed class RetentionOnPostgresTests
{
    [Fact]
    public async Task Retention_ShredsDeliveredMinutes_PurgesJobHistory_AndListDeleteLeavesNothing_OnPostgreSql()
    {
        using var work = new TempDir();
        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var services = new InProcess(work.Combine("data"), databaseUrl, clock);
        var list = await services.Get<ListService>().CreateAsync("ag", "ag@lists.example.test", "AG");
        await services.Get<SecureMinutes.Mail.ProviderSetup>().SetOutboxAsync("ag", work.Combine("outbox"));
        await services.Get<Membership>().AddAsync("ag", "sacha@members.example.test", await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")),
            "sacha.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
        var submission = (await services.Get<DistributionService>().SubmitAsync("ag", new MinutesDocument("Compte-rendu", "Jeton-7f3a9c de l'AG."))).Submission;
        Assert.Equal(1, (await services.Get<DeliveryRunner>().RunAsync(submission, list)).Delivered);
        await services.Get<SubmissionCompletion>().CompleteIfDoneAsync(submission, default);
        string sealedKeyHex;
        await using (var connection = await services.Get<Database>().OpenAsync())
        {
            sealedKeyHex = Convert.ToHexStringLower(await ScalarAsync(connection, "SELECT sealed_key FROM submission_keys WHERE submission_id = @id", submission.Id) as byte[] ?? []);
        }

        Assert.NotEmpty(sealedKeyHex);
        Assert.Contains(sealedKeyHex, await PostgresServer.DumpAsync(databaseUrl), StringComparison.Ordinal);

        var jobs = new BackgroundJobClient(services.Get<JobStorage>(), new JobFilterCollection());
        var failedJob = jobs.Create<SweepJob>(job => job.RunAsync(CancellationToken.None), new FailedState(new InvalidOperationException("provider down")));
        clock.Advance(TimeSpan.FromDays(Shredding.DefaultKeepDays + 1));
        Assert.Equal(1, await services.Get<Shredding>().ApplyRetentionAsync());

        await Assert.ThrowsAsync<ContentShreddedException>(() => services.Get<DistributionService>().OpenPayloadAsync(submission.Id));
        var dump = await PostgresServer.DumpAsync(databaseUrl);
        Assert.DoesNotContain(sealedKeyHex, dump, StringComparison.Ordinal);
        Assert.Equal(DeletedState.StateName, services.Get<JobStorage>().GetMonitoringApi().JobDetails(failedJob).History[0].StateName);
        var shreddedLine = Assert.Single(await services.Get<AuditStore>().ListAsync(list.Id), e => e.Action == AuditActions.MinutesShredded);
        Assert.Equal((Shredding.RetentionActor, (string?)null), (shreddedLine.Actor, shreddedLine.MemberEmail));
        Assert.Contains("): 1 submission(s) shredded", shreddedLine.Detail, StringComparison.Ordinal);

        await services.Get<ListDeletion>().DeleteAsync("ag", "camille");
        var deletedLine = Assert.Single(await services.Get<ServiceAuditStore>().ListAsync());
        Assert.Equal(("camille", AuditActions.ListDeleted, "ag"), (deletedLine.Actor, deletedLine.Action, deletedLine.ListName));
        Assert.Contains(list.KeyFingerprint.Hex, deletedLine.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(list.KeyFingerprint.Hex, await PostgresServer.DumpAsync(databaseUrl), StringComparison.OrdinalIgnoreCase); // sealed at rest

        await using (var connection = await services.Get<Database>().OpenAsync())
        {
            var tables = new List<string> { "lists" };
            await using (var query = connection.CreateCommand())
            {
                query.CommandText = "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'list_id'";
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Contains("members", tables);
            foreach (var table in tables)
            {
                var column = table == "lists" ? "id" : "list_id";
                Assert.Equal(0L, await ScalarAsync(connection, $"SELECT COUNT(*) FROM {table} WHERE {column} = @id", list.Id));
            }

            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM submissions WHERE id = @id", submission.Id));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM deliveries WHERE submission_id = @id", submission.Id));
        }

        Assert.DoesNotContain("sacha@members.example.test", await PostgresServer.DumpAsync(databaseUrl), StringComparison.Ordinal);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, object id)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        return await command.ExecuteScalarAsync();
    }
}
