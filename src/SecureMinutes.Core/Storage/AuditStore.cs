using System.Data.Common;
using Dapper;
using SecureMinutes.Keyring;

namespace SecureMinutes.Storage;

/// <summary>
/// The key audit log. Stores write their entry in the same transaction as the change it records
/// (<see cref="InsertAsync(DbConnection, DbTransaction?, AuditEntry)"/>), so no change goes unlogged.
/// </summary>
public sealed class AuditStore(Database database)
{
    public async Task AddAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertAsync(connection, null, entry);
    }

    internal static Task InsertAsync(DbConnection connection, DbTransaction? transaction, AuditEntry entry) =>
        connection.ExecuteAsync(
            """
            INSERT INTO key_audit (list_id, at, actor, action, member_email, old_fingerprint, new_fingerprint, detail)
            VALUES (@ListId, @at, @Actor, @Action, @MemberEmail, @OldFingerprint, @NewFingerprint, @Detail)
            """,
            new { entry.ListId, at = Time.ToDb(entry.At), entry.Actor, entry.Action, entry.MemberEmail, entry.OldFingerprint, entry.NewFingerprint, entry.Detail },
            transaction);

    /// <summary>The list's log, oldest first; optionally one member's entries only.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long listId, string? memberEmail = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(
            """
            SELECT list_id, at, actor, action, member_email, old_fingerprint, new_fingerprint, detail FROM key_audit
            WHERE list_id = @listId AND (@memberEmail IS NULL OR LOWER(member_email) = @memberEmail) ORDER BY at, id
            """,
            new { listId, memberEmail = memberEmail?.Trim().ToLowerInvariant() });
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>Whether this exact action on this member with this new fingerprint was already logged (report once).</summary>
    public async Task<bool> ExistsAsync(long listId, string action, string memberEmail, string newFingerprint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM key_audit WHERE list_id = @listId AND action = @action AND LOWER(member_email) = @email AND new_fingerprint = @newFingerprint",
            new { listId, action, email = memberEmail.ToLowerInvariant(), newFingerprint }) > 0;
    }

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

        public AuditEntry ToEntry() => new(ListId, Time.FromDb(At), Actor, Action, MemberEmail, OldFingerprint, NewFingerprint, Detail);
    }
}
