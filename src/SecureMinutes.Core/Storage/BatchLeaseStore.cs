using Dapper;

namespace SecureMinutes.Storage;

/// <summary>
/// Who is delivering a batch right now. Hangfire may hand one batch job to two workers (SQLite storage makes a
/// job visible again after its invisibility timeout even while it still runs; a crashed worker's job is requeued
/// by <see cref="Jobs.DeadWorkerRecovery"/>); the lease lets only one of them deliver at a time. Leases are
/// renewed while the run lasts and released when it ends or its process is known dead.
/// </summary>
public sealed class BatchLeaseStore(Database database)
{
    /// <summary>Takes the lease for <paramref name="owner"/> when it is free, expired, or already its own; true if taken.</summary>
    public async Task<bool> TryAcquireAsync(string submissionId, int batch, string owner, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO batch_leases (submission_id, batch, owner, expires_at) VALUES (@submissionId, @batch, @owner, @expiresAt)
            ON CONFLICT (submission_id, batch) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE batch_leases.expires_at < @now OR batch_leases.owner = @owner
            """,
            new { submissionId, batch = (long)batch, owner, now = Time.ToDb(now), expiresAt = Time.ToDb(expiresAt) }) == 1;
    }

    /// <summary>Extends the lease while its owner still holds it; false when it was lost (expired and taken).</summary>
    public async Task<bool> RenewAsync(string submissionId, int batch, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE batch_leases SET expires_at = @expiresAt WHERE submission_id = @submissionId AND batch = @batch AND owner = @owner",
            new { submissionId, batch = (long)batch, owner, expiresAt = Time.ToDb(expiresAt) }) == 1;
    }

    public async Task ReleaseAsync(string submissionId, int batch, string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM batch_leases WHERE submission_id = @submissionId AND batch = @batch AND owner = @owner",
            new { submissionId, batch = (long)batch, owner });
    }

    /// <summary>Releases every lease of a dead process (owners are <c>identity#run</c>); returns how many.</summary>
    public async Task<int> ReleaseAllOfAsync(string workerIdentity, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM batch_leases WHERE owner LIKE @prefix ESCAPE '\\'", new { prefix = EscapeLike(workerIdentity) + "#%" });
    }

    /// <summary>The processes holding leases, for <see cref="Jobs.DeadWorkerRecovery"/> to check.</summary>
    public async Task<IReadOnlyList<string>> OwnersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var owners = await connection.QueryAsync<string>("SELECT DISTINCT owner FROM batch_leases");
        return owners.Select(o => o.Split('#')[0]).Distinct().ToList();
    }

    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
