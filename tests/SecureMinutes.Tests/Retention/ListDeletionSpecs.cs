using System.Text;
using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Retention;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Retention;

/// <summary>
/// <c>list delete LIST --yes</c> (issue 17): a second list with a member, minutes, a rotated key, an invite, a pad capture
/// and a retention setting is deleted next to "ag"; then every table is searched for its id, its submissions and
/// its members, and the database files for its address, its member's address and its keys' fingerprints.
/// </summary>
public sealed class ListDeletionSpecs : IAsyncLifetime
{
    private const string Victim = "victim-list";
    private const string VictimAddress = "victim@lists.example.test";
    private const string VictimMember = "vera@victim.example";
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private T Get<T>() where T : notnull => _scenario.Get<T>();

    [Fact]
    public async Task DeletedList_LeavesNoRowInAnyTable_AndNoAddressOrKeyInTheDatabaseFiles_WhileOtherListsStay()
    {
        var list = await Get<ListService>().CreateAsync(Victim, VictimAddress, "Victim");
        await Get<ProviderSetup>().SetOutboxAsync(Victim, Path.Combine(_scenario.Services.DataDirectory, "unused-outbox"));
        var member = await Get<Membership>().AddAsync(Victim, VictimMember, TestKeys.FixtureBytes("ed25519"), "key.asc",
            new MemberOptions(AllowUserIdMismatch: true, IsAdmin: true));
        var submission = (await Get<DistributionService>().SubmitAsync(Victim, new MinutesDocument("Secret", "Décisions secrètes."))).Submission;
        var rotation = await Get<ListKeyRotation>().RotateAsync(Victim, "test", default);
        var now = _scenario.Clock.Now;
        await Get<JoinInviteStore>().AddAsync(list.Id, "hash-of-a-token", [1, 2, 3], "test", now, now.AddDays(2), 5, false);
        await Get<PadCaptureStore>().InsertAsync(list.Id, "sub-capture-of-victim", [4, 5, 6], now.AddHours(1), now);
        await Get<RetentionStore>().SetKeepDaysAsync(list.Id, 7);
        var fingerprints = new[] { list.KeyFingerprint.Hex, (await Get<ListStore>().GetAsync(list.Id)).KeyFingerprint.Hex };
        Assert.NotEqual(fingerprints[0], fingerprints[1]);
        _ = rotation;

        await Get<ListDeletion>().DeleteAsync(Victim, "test");

        await using (var connection = await Get<Database>().OpenAsync())
        {
            var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).ToList();
            Assert.Contains("submission_keys", tables);
            foreach (var table in tables)
            {
                var columns = (await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')")).ToHashSet();
                var conditions = new List<string>();
                if (columns.Contains("list_id")) conditions.Add("list_id = @listId");
                if (columns.Contains("submission_id")) conditions.Add("submission_id IN (@submissionId, 'sub-capture-of-victim')");
                if (columns.Contains("member_id")) conditions.Add("member_id = @memberId");
                if (table == "lists") conditions.Add("id = @listId");
                if (table == "submissions") conditions.Add("id = @submissionId");
                foreach (var condition in conditions)
                {
                    var left = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {condition}",
                        new { listId = list.Id, submissionId = submission.Id, memberId = member.Member.Id });
                    Assert.True(left == 0, $"{table} still has {left} row(s) where {condition}");
                }
            }
        }

        Assert.Null(await Get<ListStore>().FindAsync(Victim));
        var files = Directory.GetFiles(_scenario.Services.DataDirectory, "secureminutes.db*").Select(File.ReadAllBytes).ToList();
        foreach (var text in new[] { VictimAddress, VictimMember }.Concat(fingerprints))
        {
            var needle = Encoding.UTF8.GetBytes(text);
            Assert.True(files.All(bytes => bytes.AsSpan().IndexOf(needle) < 0), $"'{text}' is still in the database files");
        }

        Assert.Equal(3, (await Get<MemberStore>().ListAsync(_scenario.List.Id)).Count);
    }

    [Fact]
    public async Task DeletingAListThatDoesNotExist_SaysSoInOneLine()
    {
        var refusal = await Assert.ThrowsAsync<UserFacingException>(() => Get<ListDeletion>().DeleteAsync("no-such-list", "test"));

        Assert.DoesNotContain('\n', refusal.Message);
    }
}
