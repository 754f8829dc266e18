using System.Data.Common;
using Dapper;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The data step of the schema step that seals the member directory (issue 17): every address, fingerprint and key
/// already stored in members, deliveries, key_audit, join_requests and key_notices is sealed in place, and the blind
/// indexes and tags filled, in the migration's transaction (all rows or none). Each row is written exactly as the
/// stores write new ones (their <c>Purpose</c> and sealed-row helpers), so read paths need no notion of "migrated".
/// A database with none of these rows is left alone without opening the vault.
/// </summary>
internal static class DirectoryMigration
{
    public static async Task SealAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var rows = await connection.ExecuteScalarAsync<long>(
            """
            SELECT (SELECT COUNT(*) FROM members) + (SELECT COUNT(*) FROM deliveries) + (SELECT COUNT(*) FROM key_audit)
                + (SELECT COUNT(*) FROM join_requests) + (SELECT COUNT(*) FROM key_notices)
            """, transaction: transaction);
        if (rows == 0)
        {
            return;
        }

        await SealMembersAsync(connection, transaction, sealing);
        await SealDeliveriesAsync(connection, transaction, sealing);
        await SealAuditAsync(connection, transaction, sealing);
        await SealJoinRequestsAsync(connection, transaction, sealing);
        await TagKeyNoticesAsync(connection, transaction, sealing);
    }

    /// <summary>
    /// The data step that binds every stored key judgement to the keyed tag of the certificate it judged (issue 12: listings
    /// then trust it without reading certificates; <see cref="MemberStore.SummaryPurpose"/>). A judgement is resealed only
    /// if it opens as sealed before and is for exactly the certificate the row holds (its SHA-256); any other is dropped,
    /// and that key is judged afresh when next read. A database without judgements is left alone without opening the vault.
    /// </summary>
    public static async Task BindKeySummariesAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var rows = (await connection.QueryAsync<(long Id, string EmailKey, string KeyTag, byte[] PublicKey, string KeySummary)>(
            "SELECT id, email_key, key_tag, public_key, key_summary FROM members WHERE key_summary IS NOT NULL AND key_tag IS NOT NULL",
            transaction: transaction)).ToList();
        foreach (var row in rows)
        {
            string? bound = null;
            try
            {
                var certificate = sealing.OpenBytes(row.PublicKey, MemberStore.Purpose(row.EmailKey, "public_key"));
                var summary = Keys.KeySummary.FromJson(sealing.Open(row.KeySummary, MemberStore.Purpose(row.EmailKey, "key_summary")));
                bound = summary is not null && summary.IsFor(certificate) ? sealing.Seal(summary.ToJson(), MemberStore.SummaryPurpose(row.EmailKey, row.KeyTag)) : null;
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
            {
                // Not openable as an old judgement: dropped, judged afresh.
            }

            await connection.ExecuteAsync("UPDATE members SET key_summary = @bound WHERE id = @Id", new { row.Id, bound }, transaction);
        }
    }

    private static async Task SealMembersAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var members = await connection.QueryAsync<(long Id, long ListId, string Email, string Fingerprint, byte[] PublicKey, string? VerifiedFingerprint, string? KeySummary,
            long IsAdmin, long WantsDigest, long IsNoteTaker)>(
            "SELECT id, list_id, email, fingerprint, public_key, verified_fingerprint, key_summary, is_admin, wants_digest, is_note_taker FROM members",
            transaction: transaction);
        foreach (var m in members.Where(m => !DirectorySealing.IsSealed(m.Email)))
        {
            var index = sealing.Index(m.ListId, m.Email);
            await connection.ExecuteAsync(
                """
                UPDATE members SET email = @email, email_key = @index, fingerprint = @fingerprint, public_key = @publicKey, key_tag = @keyTag,
                    verified_fingerprint = @verified, key_summary = @summary, sealed_settings = @settings, is_admin = 0, wants_digest = 0, is_note_taker = 0
                WHERE id = @Id
                """,
                new
                {
                    m.Id, index,
                    email = sealing.Seal(m.Email, MemberStore.Purpose(index, "email")),
                    fingerprint = sealing.Seal(m.Fingerprint, MemberStore.Purpose(index, "fingerprint")),
                    publicKey = sealing.SealBytes(m.PublicKey, MemberStore.Purpose(index, "public_key")),
                    keyTag = sealing.KeyTag(m.ListId, m.PublicKey),
                    verified = sealing.SealOrNull(m.VerifiedFingerprint, MemberStore.Purpose(index, "verified_fingerprint")),
                    // As summaries were sealed then: a later step binds them to their key's tag (BindKeySummariesAsync).
                    summary = sealing.SealOrNull(m.KeySummary, MemberStore.Purpose(index, "key_summary")),
                    settings = sealing.Seal(new MemberSettings(m.IsAdmin != 0, m.WantsDigest != 0, m.IsNoteTaker != 0).Encode(), MemberStore.Purpose(index, "settings")),
                },
                transaction);
        }
    }

    private static async Task SealDeliveriesAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var copies = await connection.QueryAsync<(string SubmissionId, long MemberId, string Email, string? Fingerprint, string? Detail)>(
            "SELECT submission_id, member_id, email, fingerprint, detail FROM deliveries", transaction: transaction);
        foreach (var d in copies.Where(d => !DirectorySealing.IsSealed(d.Email)))
        {
            await connection.ExecuteAsync(
                "UPDATE deliveries SET email = @email, fingerprint = @fingerprint, detail = @detail WHERE submission_id = @SubmissionId AND member_id = @MemberId",
                new
                {
                    d.SubmissionId, d.MemberId,
                    email = sealing.Seal(d.Email, DeliveryStore.Purpose(d.SubmissionId, d.MemberId, "email")),
                    fingerprint = sealing.SealOrNull(d.Fingerprint, DeliveryStore.Purpose(d.SubmissionId, d.MemberId, "fingerprint")),
                    detail = sealing.SealOrNull(d.Detail, DeliveryStore.Purpose(d.SubmissionId, d.MemberId, "detail")),
                },
                transaction);
        }
    }

    private static async Task SealAuditAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var entries = await connection.QueryAsync<(long Id, long ListId, string? MemberEmail, string? OldFingerprint, string? NewFingerprint, string? Detail)>(
            "SELECT id, list_id, member_email, old_fingerprint, new_fingerprint, detail FROM key_audit", transaction: transaction);
        foreach (var e in entries)
        {
            await connection.ExecuteAsync(
                """
                UPDATE key_audit SET member_index = @memberIndex, member_email = @memberEmail, old_fingerprint = @oldFingerprint,
                    new_fingerprint = @newFingerprint, detail = @detail
                WHERE id = @Id
                """,
                new
                {
                    e.Id,
                    memberIndex = e.MemberEmail is null ? null : sealing.Index(e.ListId, e.MemberEmail),
                    memberEmail = sealing.SealOrNull(e.MemberEmail, AuditStore.Purpose(e.ListId, "member_email")),
                    oldFingerprint = sealing.SealOrNull(e.OldFingerprint, AuditStore.Purpose(e.ListId, "old_fingerprint")),
                    newFingerprint = sealing.SealOrNull(e.NewFingerprint, AuditStore.Purpose(e.ListId, "new_fingerprint")),
                    detail = sealing.SealOrNull(e.Detail, AuditStore.Purpose(e.ListId, "detail")),
                },
                transaction);
        }
    }

    private static async Task SealJoinRequestsAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var requests = await connection.QueryAsync<(long Id, long ListId, string Email, string Fingerprint, byte[] PublicKey)>(
            "SELECT id, list_id, email, fingerprint, public_key FROM join_requests", transaction: transaction);
        foreach (var r in requests.Where(r => !DirectorySealing.IsSealed(r.Email)))
        {
            var index = sealing.Index(r.ListId, r.Email);
            await connection.ExecuteAsync(
                "UPDATE join_requests SET email = @email, email_index = @index, fingerprint = @fingerprint, public_key = @publicKey WHERE id = @Id",
                new
                {
                    r.Id, index,
                    email = sealing.Seal(r.Email, JoinRequestStore.Purpose(index, "email")),
                    fingerprint = sealing.Seal(r.Fingerprint, JoinRequestStore.Purpose(index, "fingerprint")),
                    publicKey = sealing.SealBytes(r.PublicKey, JoinRequestStore.Purpose(index, "public_key")),
                },
                transaction);
        }
    }

    private static async Task TagKeyNoticesAsync(DbConnection connection, DbTransaction transaction, DirectorySealing sealing)
    {
        var notices = await connection.QueryAsync<(long MemberId, string Fingerprint, string Event)>(
            "SELECT member_id, fingerprint, event FROM key_notices", transaction: transaction);
        foreach (var n in notices)
        {
            await connection.ExecuteAsync(
                "UPDATE key_notices SET fingerprint = @tag WHERE member_id = @MemberId AND fingerprint = @Fingerprint AND event = @Event",
                new { n.MemberId, n.Fingerprint, n.Event, tag = sealing.FingerprintTag(n.MemberId, n.Fingerprint) }, transaction);
        }
    }
}
