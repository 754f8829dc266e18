using Dapper;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The member directory. Addresses, fingerprints, certificates, verified fingerprints and key summaries are stored
/// sealed (<see cref="DirectorySealing"/>, each bound to its member's blind index and column); <c>email_key</c> holds
/// the blind index (unique per list) and <c>key_tag</c> a keyed tag of the certificate for compare-and-set updates.
/// The member's settings (admin, digest, note-taker) are sealed too, as one value (<see cref="MemberSettings"/>).
/// The key's judgement (<see cref="KeySummary"/>) is sealed bound to <c>key_tag</c> as well as to its member, so that it
/// opens only beside the certificate it judged: listings (<see cref="ListEntriesAsync"/>) trust it without reading the
/// certificate. Listings open every row in memory (a few microseconds each) and sort by address there.
/// </summary>
public sealed class MemberStore(Database database, DirectorySealing sealing)
{
    private const string EntryColumns = "id, list_id, email, email_key, fingerprint, key_tag, key_expires_at, is_admin, wants_digest, is_note_taker, added_at, "
        + "verified_fingerprint, verified_at, verified_by, key_summary, sealed_settings";

    private const string Columns = EntryColumns + ", public_key";

    public async Task<Member> InsertAsync(long listId, string email, Fingerprint fingerprint, byte[] publicKey,
        DateTimeOffset? keyExpiresAt, bool isAdmin, DateTimeOffset addedAt, CancellationToken cancellationToken = default) =>
        (await InsertManyAsync([new Member(0, listId, email, fingerprint, publicKey, keyExpiresAt, isAdmin, addedAt)], [], cancellationToken))[0];

    /// <summary>
    /// Adds members (a bulk import adds hundreds) and their audit entries in one transaction: all or none.
    /// A member given with <see cref="Member.VerifiedFingerprint"/> is stored verified.
    /// </summary>
    public async Task<IReadOnlyList<Member>> InsertManyAsync(IReadOnlyList<Member> newMembers, IReadOnlyList<AuditEntry> audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = new List<Member>(newMembers.Count);
        foreach (var member in newMembers)
        {
            try
            {
                var id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO members (list_id, email, email_key, fingerprint, public_key, key_tag, key_expires_at, added_at,
                        verified_fingerprint, verified_at, verified_by, key_summary, sealed_settings)
                    VALUES (@ListId, @Email, @EmailKey, @Fingerprint, @PublicKey, @KeyTag, @KeyExpiresAt, @AddedAt,
                        @VerifiedFingerprint, @VerifiedAt, @VerifiedBy, @KeySummary, @SealedSettings) RETURNING id
                    """,
                    SealedRow(member),
                    transaction);
                inserted.Add(member with { Id = id });
            }
            catch (System.Data.Common.DbException ex) when (UniqueViolation.Is(ex))
            {
                throw new UserFacingException($"{member.Email} is already a member of this list");
            }
        }

        foreach (var entry in audit)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, entry);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public async Task<Member?> FindAsync(long listId, string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(
            $"SELECT {Columns} FROM members WHERE list_id = @listId AND email_key = @emailKey", new { listId, emailKey = sealing.Index(listId, email) });
        return row is null ? null : Open(row);
    }

    /// <summary>Every member of a list with their certificate, sorted by address: for work that encrypts to them or judges their keys.</summary>
    public Task<IReadOnlyList<Member>> ListAsync(long listId, CancellationToken cancellationToken = default) =>
        ListSortedAsync(listId, Columns, row => row.ToMember(sealing), static m => m.Email, cancellationToken);

    /// <summary>
    /// Every member of a list without their certificate (<see cref="MemberEntry"/>), sorted by address: what listings
    /// show. Neither certificates nor their hashes are read; each stored judgement opens only under its key's tag.
    /// </summary>
    public Task<IReadOnlyList<MemberEntry>> ListEntriesAsync(long listId, CancellationToken cancellationToken = default) =>
        ListSortedAsync(listId, EntryColumns, row => row.ToEntry(sealing), static m => m.Email, cancellationToken);

    private async Task<IReadOnlyList<T>> ListSortedAsync<T>(long listId, string columns, Func<MemberRow, T> open, Func<T, string> email,
        CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<MemberRow>($"SELECT {columns} FROM members WHERE list_id = @listId", new { listId });
        // Opening is CPU work on each member alone (AES-GCM per value, the key summary's JSON), so rows are opened on every
        // core while the next ones are read, and each stored row is garbage as soon as it is opened (issue 12: reading
        // all 10,000 rows first, then opening them, kept twice the data alive and spent a third of a listing in the GC).
        var opened = new List<Sorted<T>>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows, options, (row, _) =>
        {
            var item = open(row);
            var sorted = new Sorted<T>(EmailKey(email(item)), item);
            lock (opened)
            {
                opened.Add(sorted);
            }

            return ValueTask.CompletedTask;
        });

        // The blind index orders nothing meaningful: sorted by address once opened, as listings always were.
        opened.Sort(static (a, b) => string.CompareOrdinal(a.SortKey, b.SortKey));
        return opened.ConvertAll(static o => o.Item);
    }

    /// <summary>A listed item with the key a listing sorts on (the member's canonical address).</summary>
    private sealed record Sorted<T>(string SortKey, T Item);

    /// <summary>
    /// Every member of a list, opened one at a time as the database returns them, in no particular order: for work that
    /// goes through a whole large list once (planning a submission's copies), so that neither the stored rows nor every
    /// member's certificate are held at once (issue 12: memory within 20% between 2,500 and 10,000 members).
    /// </summary>
    public async IAsyncEnumerable<Member> StreamAsync(long listId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var row in connection.QueryUnbufferedAsync<MemberRow>($"SELECT {Columns} FROM members WHERE list_id = @listId", new { listId })
            .WithCancellation(cancellationToken))
        {
            yield return Open(row);
        }
    }

    /// <summary>Whether the list has at least one member (without reading any).</summary>
    public async Task<bool> AnyAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM members WHERE list_id = @listId LIMIT 1", new { listId }) is not null;
    }

    /// <summary>
    /// How many members a list has, and how many of them are admins: opens only each member's sealed settings (one
    /// small value), not their addresses and keys, so <c>list show</c> stays quick on a large list.
    /// </summary>
    public async Task<(int Members, int Admins)> CountAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MemberRow>(
            "SELECT email_key, is_admin, wants_digest, is_note_taker, sealed_settings FROM members WHERE list_id = @listId", new { listId });
        var (members, admins) = (0, 0);
        foreach (var row in rows)
        {
            members++;
            admins += row.Settings(sealing).IsAdmin ? 1 : 0;
        }

        return (members, admins);
    }

    public async Task<IReadOnlyList<Member>> GetManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var result = new List<Member>(ids.Count);
        // Chunks keep the parameter count under SQLite's limit.
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await connection.QueryAsync<MemberRow>($"SELECT {Columns} FROM members WHERE {database.Dialect.InList("id", "@chunk")}", new { chunk });
            result.AddRange(rows.Select(Open));
        }

        return result;
    }

    public async Task<bool> RemoveAsync(long listId, string email, AuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await connection.ExecuteAsync("DELETE FROM members WHERE list_id = @listId AND email_key = @emailKey",
            new { listId, emailKey = sealing.Index(listId, email) }, transaction) > 0;
        if (removed && audit is not null)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>Changes some of a member's settings (null: unchanged), sealed again as one value; false when there is no such member.</summary>
    public async Task<bool> SetFlagsAsync(long listId, string email, bool? isAdmin, bool? wantsDigest, bool? isNoteTaker = null,
        CancellationToken cancellationToken = default)
    {
        var emailKey = sealing.Index(listId, email);
        await using var connection = await database.OpenAsync(cancellationToken);
        while (true)
        {
            var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(
                $"SELECT {Columns} FROM members WHERE list_id = @listId AND email_key = @emailKey", new { listId, emailKey });
            if (row is null)
            {
                return false;
            }

            var now = row.Settings(sealing);
            var next = new MemberSettings(isAdmin ?? now.IsAdmin, wantsDigest ?? now.WantsDigest, isNoteTaker ?? now.IsNoteTaker);
            // Written only over the very settings read: two changes at once (an admin's and a member's) both count.
            var changed = await connection.ExecuteAsync(
                """
                UPDATE members SET sealed_settings = @sealed, is_admin = 0, wants_digest = 0, is_note_taker = 0
                WHERE id = @Id AND (sealed_settings = @read OR (sealed_settings IS NULL AND @read IS NULL))
                """,
                new { row.Id, read = row.SealedSettings, @sealed = sealing.Seal(next.Encode(), Purpose(emailKey, "settings")) });
            if (changed == 1)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Pins a member to another certificate (a new key, or a newer copy of the same one) and logs it, only if
    /// the member still holds <paramref name="expectedKey"/>: a refresh and an admin's import never overwrite
    /// each other's result. Returns false when the stored key changed meanwhile.
    /// </summary>
    /// <param name="summary">The new key's judgement (<see cref="KeySummary.Of"/>); without it the key is judged again when next read.</param>
    public async Task<bool> UpdateKeyAsync(long memberId, byte[] expectedKey, Fingerprint fingerprint, byte[] publicKey, DateTimeOffset? keyExpiresAt,
        AuditEntry audit, KeySummary? summary, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var member = await connection.QuerySingleOrDefaultAsync<OwnerRow>(
            "SELECT id, list_id, email_key, fingerprint FROM members WHERE id = @memberId", new { memberId }, transaction);
        var newTag = member is null ? "" : sealing.KeyTag(member.ListId, publicKey);
        var changed = member is not null && await connection.ExecuteAsync(
            """
            UPDATE members SET fingerprint = @fingerprint, public_key = @publicKey, key_tag = @keyTag, key_expires_at = @keyExpiresAt, key_summary = @keySummary
            WHERE id = @memberId AND key_tag = @expectedTag
            """,
            new
            {
                memberId, expectedTag = sealing.KeyTag(member.ListId, expectedKey),
                fingerprint = sealing.Seal(fingerprint.Hex, Purpose(member.EmailKey, "fingerprint")),
                publicKey = sealing.SealBytes(publicKey, Purpose(member.EmailKey, "public_key")),
                keyTag = newTag,
                keyExpiresAt = Time.ToDb(keyExpiresAt),
                keySummary = sealing.SealOrNull(SummaryFor(summary, publicKey), SummaryPurpose(member.EmailKey, newTag)),
            }, transaction) == 1;
        if (changed)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Records that an admin confirmed the pinned key's fingerprint; false if another key is pinned now.</summary>
    public async Task<bool> SetVerifiedAsync(long memberId, Fingerprint fingerprint, DateTimeOffset at, string by, AuditEntry audit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The pinned fingerprint is sealed: opened here, and the row changed only if it still holds that very sealed value.
        var pinned = await connection.QuerySingleOrDefaultAsync<OwnerRow>(
            "SELECT id, list_id, email_key, fingerprint FROM members WHERE id = @memberId", new { memberId }, transaction);
        var changed = pinned is not null && sealing.Open(pinned.Fingerprint, Purpose(pinned.EmailKey, "fingerprint")) == fingerprint.Hex
            && await connection.ExecuteAsync(
                "UPDATE members SET verified_fingerprint = @verified, verified_at = @at, verified_by = @by WHERE id = @memberId AND fingerprint = @stored",
                new
                {
                    memberId, stored = pinned.Fingerprint, verified = sealing.Seal(fingerprint.Hex, Purpose(pinned.EmailKey, "verified_fingerprint")),
                    at = Time.ToDb(at), by,
                }, transaction) == 1;
        if (changed)
        {
            await AuditStore.InsertAsync(connection, transaction, sealing, audit);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// Stores the judgements of members' keys (the daily key job, or a listing that judged keys not judged yet), each
    /// only if that member's key is still the one judged.
    /// </summary>
    public async Task SaveKeySummariesAsync(IReadOnlyList<(long MemberId, byte[] PublicKey, KeySummary Summary)> judged, CancellationToken cancellationToken = default)
    {
        if (judged.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var owners = new Dictionary<long, (long ListId, string EmailKey)>();
        foreach (var chunk in judged.Select(j => j.MemberId).Distinct().Chunk(500))
        {
            foreach (var row in await connection.QueryAsync<(long Id, long ListId, string EmailKey)>(
                $"SELECT id, list_id, email_key FROM members WHERE {database.Dialect.InList("id", "@chunk")}", new { chunk }, transaction))
            {
                owners[row.Id] = (row.ListId, row.EmailKey);
            }
        }

        foreach (var (memberId, publicKey, summary) in judged)
        {
            if (!owners.TryGetValue(memberId, out var owner))
            {
                continue; // removed meanwhile
            }

            var keyTag = sealing.KeyTag(owner.ListId, publicKey);
            await connection.ExecuteAsync("UPDATE members SET key_summary = @keySummary WHERE id = @memberId AND key_tag = @keyTag",
                new { memberId, keyTag, keySummary = sealing.SealOrNull(SummaryFor(summary, publicKey), SummaryPurpose(owner.EmailKey, keyTag)) }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A summary is stored only with the very key it judged.</summary>
    private static string? SummaryFor(KeySummary? summary, byte[] publicKey) => summary is not null && summary.IsFor(publicKey) ? summary.ToJson() : null;

    /// <summary>How members are told apart: one key for every spelling of an address (case, punycode or Unicode domain). Stored only inside the blind index.</summary>
    public static string EmailKey(string email) => EmailAddress.Canonical(email);

    /// <summary>What a sealed member value is bound to: its member (by blind index, itself bound to the list) and its column.</summary>
    internal static string Purpose(string index, string column) => $"member/{index}/{column}";

    /// <summary>
    /// What a key's judgement is bound to: its member and the keyed tag of the certificate it judged (<c>key_tag</c>). It
    /// then opens only beside that certificate, so a listing may trust it without reading the certificate or hashing it.
    /// Judgements sealed before this binding are resealed by the migration (<see cref="DirectoryMigration.BindKeySummariesAsync"/>).
    /// </summary>
    internal static string SummaryPurpose(string index, string keyTag) => $"member/{index}/key_summary/{keyTag}";

    /// <summary>The parameters of an INSERT: every identifying value sealed, the address as its blind index.</summary>
    private SealedMemberRow SealedRow(Member member)
    {
        var index = sealing.Index(member.ListId, member.Email);
        var keyTag = sealing.KeyTag(member.ListId, member.PublicKey);
        return new SealedMemberRow(
            member.ListId,
            sealing.Seal(member.Email, Purpose(index, "email")),
            index,
            sealing.Seal(member.Fingerprint.Hex, Purpose(index, "fingerprint")),
            sealing.SealBytes(member.PublicKey, Purpose(index, "public_key")),
            keyTag,
            Time.ToDb(member.KeyExpiresAt),
            Time.ToDb(member.AddedAt),
            sealing.SealOrNull(member.VerifiedFingerprint?.Hex, Purpose(index, "verified_fingerprint")),
            Time.ToDb(member.VerifiedAt),
            member.VerifiedBy,
            sealing.SealOrNull(SummaryFor(member.KeySummary, member.PublicKey), SummaryPurpose(index, keyTag)),
            sealing.Seal(new MemberSettings(member.IsAdmin, member.WantsDigest, member.IsNoteTaker).Encode(), Purpose(index, "settings")));
    }

    private sealed record SealedMemberRow(long ListId, string Email, string EmailKey, string Fingerprint, byte[] PublicKey, string KeyTag,
        long? KeyExpiresAt, long AddedAt, string? VerifiedFingerprint, long? VerifiedAt, string? VerifiedBy, string? KeySummary, string SealedSettings);

    private sealed class OwnerRow
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public string EmailKey { get; set; } = "";
        public string Fingerprint { get; set; } = "";
    }

    private Member Open(MemberRow row) => row.ToMember(sealing);


    private sealed class MemberRow
    {
        public long Id { get; set; }
        public long ListId { get; set; }
        public string Email { get; set; } = "";
        public string EmailKey { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public byte[] PublicKey { get; set; } = [];
        public string? KeyTag { get; set; }
        public long? KeyExpiresAt { get; set; }
        public long IsAdmin { get; set; }
        public long WantsDigest { get; set; }
        public long IsNoteTaker { get; set; }
        public long AddedAt { get; set; }
        public string? VerifiedFingerprint { get; set; }
        public long? VerifiedAt { get; set; }
        public string? VerifiedBy { get; set; }
        public string? KeySummary { get; set; }
        public string? SealedSettings { get; set; }

        /// <summary>The sealed settings; a row from before they were sealed keeps them in its clear columns until the migration moves them.</summary>
        public MemberSettings Settings(DirectorySealing sealing) => SealedSettings is null
            ? new MemberSettings(IsAdmin != 0, WantsDigest != 0, IsNoteTaker != 0)
            : MemberSettings.Decode(sealing.Open(SealedSettings, Purpose(EmailKey, "settings")));

        /// <summary>
        /// The stored judgement of the key this row holds, or null: none stored, or one that does not open under this row's
        /// key tag (sealed for another certificate, e.g. by an older version during a rolling upgrade, or damaged). Either
        /// way the key is then judged afresh from its certificate, which is itself sealed: nothing is trusted unverified.
        /// </summary>
        public KeySummary? OpenSummary(DirectorySealing sealing)
        {
            // Only a sealed judgement is bound to its key: one stored as plain text (which DirectorySealing reads leniently)
            // is not trusted.
            if (KeySummary is null || KeyTag is null || !DirectorySealing.IsSealed(KeySummary))
            {
                return null;
            }

            try
            {
                return Keys.KeySummary.FromJson(sealing.Open(KeySummary, SummaryPurpose(EmailKey, KeyTag)));
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
            {
                return null;
            }
        }

        public MemberEntry ToEntry(DirectorySealing sealing)
        {
            var settings = Settings(sealing);
            var verified = sealing.OpenOrNull(VerifiedFingerprint, Purpose(EmailKey, "verified_fingerprint"));
            return new(Id, ListId, sealing.Open(Email, Purpose(EmailKey, "email")), new Fingerprint(sealing.Open(Fingerprint, Purpose(EmailKey, "fingerprint"))),
                Time.FromDb(KeyExpiresAt), settings.IsAdmin, Time.FromDb(AddedAt))
            {
                WantsDigest = settings.WantsDigest,
                IsNoteTaker = settings.IsNoteTaker,
                VerifiedFingerprint = verified is null ? null : new Fingerprint(verified),
                VerifiedAt = Time.FromDb(VerifiedAt),
                VerifiedBy = VerifiedBy,
                KeySummary = OpenSummary(sealing),
            };
        }

        public Member ToMember(DirectorySealing sealing)
        {
            var entry = ToEntry(sealing);
            var publicKey = sealing.OpenBytes(PublicKey, Purpose(EmailKey, "public_key"));
            // Hashing the certificate here puts that check on every core during a listing (issue 12).
            var check = entry.KeySummary is { } summary && summary.IsFor(publicKey) ? new SummaryCheck(summary, publicKey) : null;
            return Member.FromEntry(entry, publicKey, check);
        }
    }
}
