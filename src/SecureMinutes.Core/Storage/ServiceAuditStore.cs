using System.Data.Common;
using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The audit lines that belong to no list (table <c>service_audit</c>): a list's own log (<see cref="AuditStore"/>) is
/// deleted with the list, so the line saying it was deleted lives here. The list's name and the detail are sealed like
/// the key audit's detail (<see cref="DirectorySealing"/>), so the database alone does not show which lists existed;
/// time, actor and action stay in clear, as in the key audit. Written in the transaction of the change it records.
/// </summary>
public sealed class ServiceAuditStore(Database database, DirectorySealing sealing)
{
    private const string ListNamePurpose = "service-audit/list_name";
    private const string DetailPurpose = "service-audit/detail";

    internal static Task InsertAsync(DbConnection connection, DbTransaction? transaction, DirectorySealing sealing, ServiceAuditEntry entry) =>
        connection.ExecuteAsync(
            "INSERT INTO service_audit (at, actor, action, list_name, detail) VALUES (@at, @Actor, @Action, @listName, @detail)",
            new
            {
                at = Time.ToDb(entry.At), entry.Actor, entry.Action,
                listName = sealing.Seal(entry.ListName, ListNamePurpose),
                detail = sealing.SealOrNull(entry.Detail, DetailPurpose),
            },
            transaction);

    /// <summary>Every line, oldest first, opened for an administrator of the installation.</summary>
    public async Task<IReadOnlyList<ServiceAuditEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long At, string Actor, string Action, string ListName, string? Detail)>(
            "SELECT at, actor, action, list_name, detail FROM service_audit ORDER BY at, id");
        return rows.Select(r => new ServiceAuditEntry(Time.FromDb(r.At), r.Actor, r.Action, sealing.Open(r.ListName, ListNamePurpose),
            sealing.OpenOrNull(r.Detail, DetailPurpose))).ToList();
    }
}
