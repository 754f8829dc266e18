using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// Forgets a former member's address where the service kept it beside the member row: the key audit log (its lines keep
/// the fingerprints and dates) and the delivery records of past copies (kept for the admins' counts, addressed to
/// "(left)"). Used when a member leaves by themselves.
/// </summary>
public sealed class AddressErasure(Database database, Secrets.DirectorySealing sealing)
{
    /// <summary>The text that replaces the address in delivery records.</summary>
    public const string Placeholder = "(left)";

    public async Task EraseAsync(long listId, long memberId, string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Audit lines name members by their blind index (the address itself is sealed): both go, the fingerprints and dates stay.
        await connection.ExecuteAsync("UPDATE key_audit SET member_email = NULL, member_index = NULL WHERE list_id = @listId AND member_index = @index",
            new { listId, index = sealing.Index(listId, email) }, transaction);
        await connection.ExecuteAsync("UPDATE deliveries SET email = @placeholder WHERE member_id = @memberId", new { memberId, placeholder = Placeholder }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }
}
