using Dapper;
using SecureMinutes.Distribution;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// Per-member delivery state. Every transition is one conditional UPDATE, so two workers can never both
/// claim the same copy, and a copy the provider accepted is recorded before the next one is sent.
/// A copy's address, fingerprint and detail (a provider's answer often quotes the address) are sealed
/// (<see cref="DirectorySealing"/>, bound to the copy); a few fixed sentences written by SQL stay as they are.
/// </summary>
public sealed class DeliveryStore(Database database, DirectorySealing sealing)
{
    private const string Columns = "submission_id, member_id, email, fingerprint, state, attempts, detail, updated_at, delivered_at";

    public async Task<IReadOnlyList<Delivery>> ListAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<DeliveryRow>(
            $"SELECT {Columns} FROM deliveries WHERE submission_id = @submissionId", new { submissionId });
        // Each copy's sealed values are opened on their own, on every core while the next rows are read (issue 12: status
        // within a second on 10,000 copies; see MemberStore.ListAsync).
        var opened = new List<Delivery>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows, options, (row, _) =>
        {
            var delivery = row.ToDelivery(sealing);
            lock (opened)
            {
                opened.Add(delivery);
            }

            return ValueTask.CompletedTask;
        });

        // Sealed addresses sort nothing: ordered once opened, as the listing always was (the member breaks ties, as the
        // rows' order did for the stable sort before, so the same copies always list the same way).
        opened.Sort(static (a, b) => string.CompareOrdinal(a.Email, b.Email) is var byEmail and not 0 ? byEmail : a.MemberId.CompareTo(b.MemberId));
        return opened;
    }

    public async Task<IReadOnlyDictionary<DeliveryState, int>> CountAsync(string submissionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>(
            "SELECT state, COUNT(*) FROM deliveries WHERE submission_id = @submissionId GROUP BY state", new { submissionId });
        return rows.ToDictionary(r => DeliveryStateText.Parse(r.State), r => (int)r.Count);
    }

    private const string Pending = "state IN ('queued', 'failed-transient', 'sending')";

    /// <summary>Members whose copy still has to be (re)tried, including copies whose sender stopped mid-way.</summary>
    public async Task<IReadOnlyList<long>> PendingMemberIdsAsync(string submissionId, int? batch = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(
            $"SELECT member_id FROM deliveries WHERE submission_id = @submissionId AND {Pending} AND (@batch IS NULL OR batch = @batch) ORDER BY member_id",
            new { submissionId, batch = (long?)batch });
        return ids.ToList();
    }

    /// <summary>
    /// Splits the pending copies that have no batch yet into batches of <paramref name="batchSize"/> (one SMTP
    /// connection each) and returns every batch that still has pending copies.
    /// </summary>
    public async Task<IReadOnlyList<int>> AssignBatchesAsync(string submissionId, int batchSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var unassigned = (await connection.QueryAsync<long>(
                $"SELECT member_id FROM deliveries WHERE submission_id = @submissionId AND {Pending} AND batch IS NULL ORDER BY member_id",
                new { submissionId }, transaction)).ToList();
            var next = await connection.ExecuteScalarAsync<long?>("SELECT MAX(batch) FROM deliveries WHERE submission_id = @submissionId",
                new { submissionId }, transaction) ?? -1;
            foreach (var chunk in unassigned.Chunk(batchSize))
            {
                next++;
                await connection.ExecuteAsync($"UPDATE deliveries SET batch = @next WHERE submission_id = @submissionId AND {database.Dialect.InList("member_id", "@chunk")}",
                    new { next, submissionId, chunk }, transaction);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var batches = await connection.QueryAsync<long>(
            $"SELECT DISTINCT batch FROM deliveries WHERE submission_id = @submissionId AND {Pending} ORDER BY batch", new { submissionId });
        return batches.Select(b => (int)b).ToList();
    }

    /// <summary>Adds copies (a member who joined later); existing copies are left as they are. Returns how many were added.</summary>
    public async Task<int> AddAsync(IEnumerable<Delivery> copies, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO deliveries (submission_id, member_id, email, fingerprint, state, attempts, detail, updated_at)
            VALUES (@SubmissionId, @MemberId, @Email, @Fingerprint, @State, 0, @Detail, @UpdatedAt)
            ON CONFLICT (submission_id, member_id) DO NOTHING
            """,
            copies.Select(d => SealedRow(sealing, d)));
    }

    /// <summary>Queues again a member's copies that were skipped for an unusable key; returns their submissions.</summary>
    public async Task<IReadOnlyList<string>> RequeueSkippedAsync(long memberId, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var submissions = await connection.QueryAsync<string>(
            """
            UPDATE deliveries SET state = 'queued', batch = NULL, detail = 'queued again: usable key imported', updated_at = @now
            WHERE member_id = @memberId AND state = 'skipped-no-key'
              AND submission_id NOT IN (SELECT id FROM submissions WHERE shredded_at IS NOT NULL)
            RETURNING submission_id
            """,
            new { memberId, now = Time.ToDb(now) });
        var requeued = submissions.Distinct().ToList();
        // The new fingerprint is sealed per copy, so it is written copy by copy (a member's few skipped copies).
        foreach (var submissionId in requeued)
        {
            await connection.ExecuteAsync("UPDATE deliveries SET fingerprint = @sealed WHERE submission_id = @submissionId AND member_id = @memberId",
                new { submissionId, memberId, @sealed = sealing.Seal(fingerprint, Purpose(submissionId, memberId, "fingerprint")) });
        }

        return requeued;
    }

    /// <summary>Copies that failed for good are queued again (an admin fixed the cause); returns how many.</summary>
    public async Task<int> RequeueFailedAsync(string submissionId, string detail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE deliveries SET state = 'queued', batch = NULL, detail = @detail, updated_at = @now WHERE submission_id = @submissionId AND state = 'failed-permanent'",
            new { submissionId, detail, now = Time.ToDb(now) });
    }

    /// <summary>Every copy not yet handed to a sender is cancelled; returns how many.</summary>
    public async Task<int> CancelQueuedAsync(string submissionId, string detail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE deliveries SET state = 'cancelled', detail = @detail, updated_at = @now WHERE submission_id = @submissionId AND state IN ('queued', 'failed-transient')",
            new { submissionId, detail, now = Time.ToDb(now) });
    }

    /// <summary>After the last retry: copies the provider kept deferring are failed for good, with its last answer.</summary>
    public async Task<int> GiveUpAsync(string submissionId, int batch, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The provider's last answer is sealed: each copy's detail is opened, prefixed and sealed again here, not in SQL.
        var copies = await connection.QueryAsync<(long MemberId, string? Detail)>(
            "SELECT member_id, detail FROM deliveries WHERE submission_id = @submissionId AND batch = @batch AND state IN ('queued', 'failed-transient')",
            new { submissionId, batch = (long)batch }, transaction);
        var count = 0;
        foreach (var (memberId, detail) in copies)
        {
            var purpose = Purpose(submissionId, memberId, "detail");
            count += await connection.ExecuteAsync(
                """
                UPDATE deliveries SET state = 'failed-permanent', detail = @detail, updated_at = @now
                WHERE submission_id = @submissionId AND member_id = @memberId AND state IN ('queued', 'failed-transient')
                """,
                new { submissionId, memberId, detail = sealing.Seal($"{reason}: {sealing.OpenOrNull(detail, purpose)}", purpose), now = Time.ToDb(now) },
                transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>
    /// Takes a copy for sending. A copy already "sending" is taken over only when its claim is older than
    /// <paramref name="staleBefore"/>: its sender died between the provider's answer and our record, so at
    /// most that one copy may reach the member twice.
    /// </summary>
    public async Task<bool> TryClaimAsync(string submissionId, long memberId, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken = default) =>
        (await ClaimAsync(submissionId, [memberId], now, staleBefore, cancellationToken)).Count == 1;

    /// <summary>
    /// Takes several copies for sending in one durable write, as <see cref="TryClaimAsync"/> takes one; returns the
    /// members whose copy this sender now holds (the others are final, or held by a live sender).
    /// </summary>
    public async Task<IReadOnlySet<long>> ClaimAsync(string submissionId, IReadOnlyCollection<long> memberIds, DateTimeOffset now, DateTimeOffset staleBefore,
        CancellationToken cancellationToken = default)
    {
        if (memberIds.Count == 0)
        {
            return new HashSet<long>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var claimed = await connection.QueryAsync<long>(
            $"""
            UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = @now, claimed_by = @claimant
            WHERE submission_id = @submissionId AND {database.Dialect.InList("member_id", "@memberIds")}
              AND (state IN ('queued', 'failed-transient') OR (state = 'sending' AND updated_at < @staleBefore))
            RETURNING member_id
            """,
            new { submissionId, memberIds = memberIds.ToArray(), now = Time.ToDb(now), staleBefore = Time.ToDb(staleBefore), claimant = Jobs.WorkerIdentity.Current });
        return claimed.ToHashSet();
    }

    /// <summary>
    /// Keeps this sender's claim on copies it took together at <paramref name="claimedAt"/> and has not sent yet: their
    /// lease starts again at <paramref name="now"/>, so a group that takes longer than <see cref="Distribution.DeliveryOptions.ClaimLease"/>
    /// to send is not taken over copy by copy by another sender while this one still works through it. Returns the
    /// members whose copy this sender still holds (a claim that had already run out and was taken is not).
    /// </summary>
    public async Task<IReadOnlySet<long>> ExtendClaimsAsync(string submissionId, IReadOnlyCollection<long> memberIds, DateTimeOffset claimedAt, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        if (memberIds.Count == 0)
        {
            return new HashSet<long>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var held = await connection.QueryAsync<long>(
            $"""
            UPDATE deliveries SET updated_at = @now
            WHERE submission_id = @submissionId AND {database.Dialect.InList("member_id", "@memberIds")}
              AND state = 'sending' AND claimed_by = @claimant AND updated_at = @claimedAt
            RETURNING member_id
            """,
            new { submissionId, memberIds = memberIds.ToArray(), now = Time.ToDb(now), claimedAt = Time.ToDb(claimedAt), claimant = Jobs.WorkerIdentity.Current });
        return held.ToHashSet();
    }

    /// <summary>
    /// Gives back copies this sender claimed and never handed to the provider (its run stopped first): queued again,
    /// the claim's attempt not counted.
    /// </summary>
    public async Task<int> ReleaseAsync(string submissionId, IReadOnlyCollection<long> memberIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (memberIds.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            $"""
            UPDATE deliveries SET state = 'queued', attempts = attempts - 1, updated_at = @now, claimed_by = NULL
            WHERE submission_id = @submissionId AND {database.Dialect.InList("member_id", "@memberIds")} AND state = 'sending' AND claimed_by = @claimant
            """,
            new { submissionId, memberIds = memberIds.ToArray(), now = Time.ToDb(now), claimant = Jobs.WorkerIdentity.Current });
    }

    /// <summary>
    /// Puts back in the queue the copies a dead process had claimed (<see cref="Jobs.DeadWorkerRecovery"/>): it may
    /// have handed one to the provider just before dying, so each may reach its member twice; that is the bound.
    /// Returns how many were released.
    /// </summary>
    public async Task<int> ReleaseClaimsOfAsync(string workerIdentity, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE deliveries SET state = 'queued', claimed_by = NULL, updated_at = @now,
                detail = 'queued again: the worker sending it stopped (it may arrive twice)'
            WHERE state = 'sending' AND claimed_by = @workerIdentity
            """,
            new { workerIdentity, now = Time.ToDb(now) });
    }

    /// <summary>The processes holding claims on copies being sent.</summary>
    public async Task<IReadOnlyList<string>> ClaimantsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>("SELECT DISTINCT claimed_by FROM deliveries WHERE state = 'sending' AND claimed_by IS NOT NULL")).ToList();
    }

    /// <summary>A recorder of a send run's answers, on a connection of its own (<see cref="DeliveryRecorder"/>).</summary>
    public Task<DeliveryRecorder> OpenRecorderAsync(CancellationToken cancellationToken = default) =>
        DeliveryRecorder.OpenAsync(database, sealing, cancellationToken);

    /// <summary>Records a copy's new state, durably: it survives a power cut once this returns (the send loop records through <see cref="DeliveryRecorder"/>).</summary>
    public async Task MarkAsync(string submissionId, long memberId, DeliveryState state, string? detail, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var recorder = await OpenRecorderAsync(cancellationToken);
        await recorder.RecordAsync(submissionId, memberId, state, detail, now, durable: true);
    }

    /// <summary>What a sealed delivery value is bound to: its copy (submission and member) and its column.</summary>
    internal static string Purpose(string submissionId, long memberId, string column) => $"delivery/{submissionId}/{memberId}/{column}";

    /// <summary>The parameters of an INSERT of <paramref name="copy"/>, its address, fingerprint and detail sealed.</summary>
    internal static SealedDeliveryRow SealedRow(DirectorySealing sealing, Delivery copy) => new(
        copy.SubmissionId,
        copy.MemberId,
        sealing.Seal(copy.Email, Purpose(copy.SubmissionId, copy.MemberId, "email")),
        sealing.SealOrNull(copy.Fingerprint, Purpose(copy.SubmissionId, copy.MemberId, "fingerprint")),
        copy.State.ToText(),
        sealing.SealOrNull(copy.Detail, Purpose(copy.SubmissionId, copy.MemberId, "detail")),
        Time.ToDb(copy.UpdatedAt));

    /// <summary>A copy as stored: its identifying values sealed.</summary>
    internal sealed record SealedDeliveryRow(string SubmissionId, long MemberId, string Email, string? Fingerprint, string State, string? Detail, long UpdatedAt);

    private sealed class DeliveryRow
    {
        public string SubmissionId { get; set; } = "";
        public long MemberId { get; set; }
        public string Email { get; set; } = "";
        public string? Fingerprint { get; set; }
        public string State { get; set; } = "";
        public long Attempts { get; set; }
        public string? Detail { get; set; }
        public long UpdatedAt { get; set; }
        public long? DeliveredAt { get; set; }

        public Delivery ToDelivery(DirectorySealing sealing) => new(SubmissionId, MemberId, sealing.Open(Email, Purpose(SubmissionId, MemberId, "email")),
            sealing.OpenOrNull(Fingerprint, Purpose(SubmissionId, MemberId, "fingerprint")), DeliveryStateText.Parse(State), (int)Attempts,
            sealing.OpenOrNull(Detail, Purpose(SubmissionId, MemberId, "detail")), Time.FromDb(UpdatedAt), Time.FromDb(DeliveredAt));
    }
}
