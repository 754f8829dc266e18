using System.Data.Common;
using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The key audit log. Stores write their entry in the same transaction as the change it records
/// (<see cref="InsertAsync(DbConnection, DbTransaction?, DirectorySealing, AuditEntry)"/>), so no change goes unlogged.
/// An entry names its member by blind index (<c>member_index</c>, <see cref="DirectorySealing.Index"/>); the address,
/// the fingerprints and the detail are sealed, and opened when the log is shown to the list's admins.
/// </summary>
public sealed class AuditStore(Database database, DirectorySealing sealing)
{
    public async Task AddAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertAsync(connection, null, sealing, entry);
    }

    internal static Task InsertAsync(DbConnection connection, DbTransaction? transaction, DirectorySealing sealing, AuditEntry entry) =>
        connection.ExecuteAsync(
            """
            INSERT INTO key_audit (list_id, at, actor, action, member_index, member_email, old_fingerprint, new_fingerprint, detail)
            VALUES (@ListId, @at, @Actor, @Action, @memberIndex, @memberEmail, @oldFingerprint, @newFingerprint, @detail)
            """,
            new
            {
                entry.ListId, at = Time.ToDb(entry.At), entry.Actor, entry.Action,
                memberIndex = entry.MemberEmail is null ? null : sealing.Index(entry.ListId, entry.MemberEmail),
                memberEmail = sealing.SealOrNull(entry.MemberEmail, Purpose(entry.ListId, "member_email")),
                oldFingerprint = sealing.SealOrNull(entry.OldFingerprint, Purpose(entry.ListId, "old_fingerprint")),
                newFingerprint = sealing.SealOrNull(entry.NewFingerprint, Purpose(entry.ListId, "new_fingerprint")),
                detail = sealing.SealOrNull(entry.Detail, Purpose(entry.ListId, "detail")),
            },
            transaction);

    /// <summary>The list's log, oldest first; optionally one member's entries only (any spelling of the address).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long listId, string? memberEmail = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(
            """
            SELECT list_id, at, actor, action, member_email, old_fingerprint, new_fingerprint, detail FROM key_audit
            WHERE list_id = @listId AND (@memberIndex IS NULL OR member_index = @memberIndex) ORDER BY at, id
            """,
            new { listId, memberIndex = memberEmail is null ? null : sealing.Index(listId, memberEmail) });
        return rows.Select(r => r.ToEntry(sealing)).ToList();
    }

    /// <summary>Whether this exact action on this member with this new fingerprint was already logged (report once).</summary>
    public async Task<bool> ExistsAsync(long listId, string action, string memberEmail, string newFingerprint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var logged = await connection.QueryAsync<string?>(
            "SELECT new_fingerprint FROM key_audit WHERE list_id = @listId AND action = @action AND member_index = @memberIndex",
            new { listId, action, memberIndex = sealing.Index(listId, memberEmail) });
        return logged.Any(f => sealing.OpenOrNull(f, Purpose(listId, "new_fingerprint")) == newFingerprint);
    }

    /// <summary>What a sealed audit value is bound to: its list and column.</summary>
    internal static string Purpose(long listId, string column) => $"audit/{listId}/{column}";

    private sealed class AuditRow
    {
        public long ListId { get; set; }
        public long At { get; set; }
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string? MemberEmail { get; set; }
        public string? OldFingerprint { get; set; }
        public string? NewFingerprint { get; set; }
        public string? Detail { get; set; }

        public AuditEntry ToEntry(DirectorySealing sealing) => new(ListId, Time.FromDb(At), Actor, Action,
            sealing.OpenOrNull(MemberEmail, Purpose(ListId, "member_email")), sealing.OpenOrNull(OldFingerprint, Purpose(ListId, "old_fingerprint")),
            sealing.OpenOrNull(NewFingerprint, Purpose(ListId, "new_fingerprint")), sealing.OpenOrNull(Detail, Purpose(ListId, "detail")));
    }
}
