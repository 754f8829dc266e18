using System.Data.Common;
using SecureMinutes.Distribution;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// Records the provider's answers of one send run (<see cref="DeliveryRun"/>) on one connection held for the run, with
/// one statement parsed once: the send loop's write per copy, the same UPDATE <see cref="DeliveryStore.MarkAsync(string, long, DeliveryState, string?, DateTimeOffset, CancellationToken)"/>
/// makes. Answers are recorded relaxed or durably as asked (<see cref="SqlDialect.RelaxCommits"/>); the connection goes
/// back to the pool with durable commits again. Not thread-safe: one run, one recorder.
/// </summary>
public sealed class DeliveryRecorder : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbCommand _update;
    private readonly SqlDialect _dialect;
    private readonly DirectorySealing _sealing;
    private bool _relaxed;

    private DeliveryRecorder(DbConnection connection, SqlDialect dialect, DirectorySealing sealing)
    {
        (_connection, _dialect, _sealing) = (connection, dialect, sealing);
        _update = connection.CreateCommand();
        _update.CommandText =
            """
            UPDATE deliveries SET state = @state, detail = @detail, updated_at = @now,
                delivered_at = CASE WHEN @state = 'delivered' THEN @now ELSE delivered_at END
            WHERE submission_id = @submissionId AND member_id = @memberId
            """;
        foreach (var name in (string[])["state", "detail", "now", "submissionId", "memberId"])
        {
            var parameter = _update.CreateParameter();
            parameter.ParameterName = name;
            _update.Parameters.Add(parameter);
        }
    }

    internal static async Task<DeliveryRecorder> OpenAsync(Database database, DirectorySealing sealing, CancellationToken cancellationToken) =>
        new(await database.OpenAsync(cancellationToken), database.Dialect, sealing);

    /// <summary>
    /// Records <paramref name="memberId"/>'s copy of <paramref name="submissionId"/> as <paramref name="state"/>, its
    /// <paramref name="detail"/> sealed. Not cancellable: a provider's answer is recorded even while the run stops.
    /// </summary>
    public async Task RecordAsync(string submissionId, long memberId, DeliveryState state, string? detail, DateTimeOffset now, bool durable)
    {
        if (_relaxed == durable)
        {
            await ExecuteAsync(_dialect.RelaxCommits(!durable));
            _relaxed = !durable;
        }

        _update.Parameters["state"].Value = state.ToText();
        _update.Parameters["detail"].Value = (object?)_sealing.SealOrNull(detail, DeliveryStore.Purpose(submissionId, memberId, "detail")) ?? DBNull.Value;
        _update.Parameters["now"].Value = Time.ToDb(now);
        _update.Parameters["submissionId"].Value = submissionId;
        _update.Parameters["memberId"].Value = memberId;
        await _update.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_relaxed)
            {
                await ExecuteAsync(_dialect.RelaxCommits(false));
            }
        }
        finally
        {
            await _update.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
