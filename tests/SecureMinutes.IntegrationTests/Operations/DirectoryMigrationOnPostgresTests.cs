using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.IntegrationTests.Operations;

/// <summary>
/// Issue 17's "a migration seals existing data in place", on PostgreSQL with data in it. The previous release's data
/// (tests/fixtures/datadir-schema-4, the database <c>SealedDirectoryTests</c> migrates on SQLite) is moved into a fresh
/// PostgreSQL database built at that release's schema version; opening it with this program migrates it forward, and
/// then a <c>pg_dump</c> holds no member address, fingerprint (any case, grouped or not), key id, key or minutes, while
/// every member, delivery and audit entry is still found, by address in any case through the blind index.
/// </summary>
public sealed class DirectoryMigrationOnPostgresTests
{
    private const string DeliveredId = "sub-anrp-ce3p-fw8s";
    private const string FixtureMinutesToken = "upgrade-token-7f3a";

    [Fact]
    public async Task ThePreviousReleasesDataOnPostgres_IsSealedInPlace_AndEverythingIsStillFound()
    {
        using var work = new TempDir();
        var fixture = Path.Combine(RepoPaths.Root, "tests", "fixtures", "datadir-schema-4");
        var dataDir = work.Combine("data");
        Directory.CreateDirectory(dataDir);
        foreach (var name in new[] { "vault.json", "secureminutes.key" })
        {
            File.Copy(Path.Combine(fixture, name), Path.Combine(dataDir, name)); // the release's key-file vault opens its sealed rows
        }

        var databaseUrl = await PostgresServer.CreateDatabaseAsync();
        var copied = await PreviousReleaseOnPostgres.FillAsync(Path.Combine(fixture, "secureminutes.db"), work.Combine("fixture.db"), databaseUrl);
        Assert.Equal(3, copied["members"]);
        Assert.Equal(6, copied["deliveries"]);
        Assert.Equal(3, copied["key_audit"]);
        var before = await PostgresServer.DumpAsync(databaseUrl);
        var demoKeys = Path.GetDirectoryName(RepoPaths.DemoKey("camille.pub.asc"))!;
        // Before the upgrade the same search finds the members in clear: addresses, fingerprints and keys (as pg_dump's bytea hex).
        var foundBefore = SeizedDiskFlow.FoundIn(Encoding.UTF8.GetBytes(before), demoKeys);
        Assert.Contains("address", foundBefore);
        Assert.Contains("dominique's fingerprint or key id", foundBefore);
        Assert.Contains("camille's certificate bytes in hex (pg_dump's bytea)", foundBefore);

        await using (var services = new TestServices(dataDir, databaseUrl))
        {
            var list = await services.Get<ListStore>().GetAsync("ag-demo");
            var store = services.Get<MemberStore>();
            var members = await store.ListAsync(list.Id);
            Assert.Equal(["camille@members.example.test", "dominique@members.example.test", "sacha@members.example.test"], members.Select(m => m.Email));
            Assert.All(members, m => Assert.Equal(m.Fingerprint, Fingerprint.Of(PublicKeyReader.Read(m.PublicKey, "stored").Single().GetPublicKey())));
            Assert.Equal("4B1D30F0", (await store.FindAsync(list.Id, "DOMINIQUE@Members.Example.TEST"))!.Fingerprint.Hex[..8], ignoreCase: true);
            Assert.Equal("camille@members.example.test", (await store.FindAsync(list.Id, "Camille@MEMBERS.example.test"))?.Email);
            Assert.Null(await store.FindAsync(list.Id, "nobody@members.example.test"));
            // Settings moved into the sealed value: camille stays admin, dominique note-taker.
            Assert.Equal([true, false, false], members.Select(m => m.IsAdmin));
            Assert.Equal([false, true, false], members.Select(m => m.IsNoteTaker));

            var delivered = await services.Get<DeliveryStore>().ListAsync(DeliveredId);
            Assert.Equal(members.Select(m => m.Email), delivered.Select(d => d.Email));
            Assert.All(delivered, d => Assert.Equal(members.Single(m => m.Id == d.MemberId).Fingerprint.Hex, d.Fingerprint));
            var audit = await services.Get<AuditStore>().ListAsync(list.Id, "SACHA@members.example.test");
            Assert.Single(audit, e => e.Action == AuditActions.MemberAdded && e.NewFingerprint == "49CFE4C7F39F59221D64A02BA6A23CF51187C6DC");

            // A member added after the upgrade is stored like the migrated ones and found beside them (ids continue).
            await services.Get<Membership>().AddAsync("ag-demo", "Camille.Two@Members.Example.Test", File.ReadAllBytes(RepoPaths.DemoKey("camille.pub.asc")),
                "camille.pub.asc", new MemberOptions(AllowUserIdMismatch: true));
            Assert.Equal(4, (await store.ListAsync(list.Id)).Count);
        }

        await using (var connection = new NpgsqlConnection(PostgresDialect.ConnectionString(databaseUrl)))
        {
            var rows = (await connection.QueryAsync<(string Email, string Fingerprint, string SealedSettings, long Flags)>(
                "SELECT email, fingerprint, sealed_settings, is_admin + wants_digest + is_note_taker FROM members")).ToList();
            Assert.Equal(4, rows.Count);
            Assert.All(rows, r => Assert.True(DirectorySealing.IsSealed(r.Email) && DirectorySealing.IsSealed(r.Fingerprint) && DirectorySealing.IsSealed(r.SealedSettings)));
            Assert.All(rows, r => Assert.Equal(0, r.Flags));
        }

        var after = await PostgresServer.DumpAsync(databaseUrl);
        Assert.Contains("ag-demo", after, StringComparison.Ordinal); // the dump holds the data (the list's name is not a secret)
        Assert.Empty(SeizedDiskFlow.FoundIn(Encoding.UTF8.GetBytes(after), demoKeys));
        Assert.DoesNotContain("camille.two", after, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FixtureMinutesToken, after, StringComparison.Ordinal);
    }

    /// <summary>The previous release's SQLite rows, copied into a PostgreSQL database at the same schema version.</summary>
    private static class PreviousReleaseOnPostgres
    {
        /// <summary>Builds the fixture's schema version on <paramref name="databaseUrl"/> and copies every row into it; returns rows per table.</summary>
        public static async Task<Dictionary<string, int>> FillAsync(string fixtureDatabase, string workCopy, string databaseUrl)
        {
            File.Copy(fixtureDatabase, workCopy);
            var copied = new Dictionary<string, int>();
            await using var sqlite = new SqliteConnection($"Data Source={workCopy};Mode=ReadOnly;Pooling=False");
            await sqlite.OpenAsync();
            var version = await sqlite.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations");
            // Creation order: a table only references tables made before it.
            var tables = (await sqlite.QueryAsync<string>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY rowid")).ToList();

            await using var postgres = new NpgsqlConnection(PostgresDialect.ConnectionString(databaseUrl));
            await postgres.OpenAsync();
            await Migrations.ApplyAsync(postgres, new PostgresDialect(), sealing: null, through: version, CancellationToken.None);
            foreach (var table in tables)
            {
                copied[table] = await CopyTableAsync(sqlite, postgres, table);
            }

            // Rows came with their ids: identity columns continue after them, as they do after the release's own inserts.
            var identities = await postgres.QueryAsync<(string Table, string Column)>(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'");
            foreach (var (table, column) in identities)
            {
                await postgres.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}");
            }

            return copied;
        }

        private static async Task<int> CopyTableAsync(SqliteConnection sqlite, NpgsqlConnection postgres, string table)
        {
            await using var select = sqlite.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            await using var reader = await select.ExecuteReaderAsync();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var insert = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            var rows = 0;
            while (await reader.ReadAsync())
            {
                var parameters = new DynamicParameters();
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters.Add("p" + i, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                await postgres.ExecuteAsync(insert, parameters);
                rows++;
            }

            return rows;
        }
    }
}
