using System.Data.Common;
using Dapper;
using SecureMinutes.Secrets;

namespace SecureMinutes.Storage;

/// <summary>
/// The schema, as an ordered list of steps applied once each. Append new steps; never edit a shipped one.
/// Times are Unix milliseconds (BIGINT), the one representation both databases compare the same way.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE lists (
            id {id},
            name TEXT NOT NULL UNIQUE,
            address TEXT NOT NULL,
            display_name TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            public_key {blob} NOT NULL,
            sealed_secret_key {blob} NOT NULL,
            created_at BIGINT NOT NULL,
            rate_per_minute BIGINT,
            daily_cap BIGINT,
            redistribute_last BIGINT NOT NULL DEFAULT 1,
            digest_cron TEXT,
            paused_reason TEXT,
            paused_at BIGINT
        );
        CREATE TABLE providers (
            list_id BIGINT PRIMARY KEY REFERENCES lists(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            host TEXT,
            port BIGINT,
            security TEXT,
            username TEXT,
            password_env TEXT,
            socks5 TEXT,
            trusted_certificate {blob},
            outbox_dir TEXT,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE members (
            id {id},
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            public_key {blob} NOT NULL,
            key_expires_at BIGINT,
            is_admin BIGINT NOT NULL DEFAULT 0,
            wants_digest BIGINT NOT NULL DEFAULT 0,
            added_at BIGINT NOT NULL,
            UNIQUE (list_id, email_key)
        );
        CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            kind TEXT NOT NULL DEFAULT 'minutes',
            message_id TEXT NOT NULL,
            sealed_payload {blob} NOT NULL,
            created_at BIGINT NOT NULL,
            send_at BIGINT NOT NULL,
            finished_at BIGINT
        );
        CREATE INDEX submissions_by_list ON submissions (list_id, kind, created_at);
        CREATE TABLE deliveries (
            submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            member_id BIGINT NOT NULL,
            email TEXT NOT NULL,
            fingerprint TEXT,
            state TEXT NOT NULL,
            batch BIGINT,
            attempts BIGINT NOT NULL DEFAULT 0,
            detail TEXT,
            updated_at BIGINT NOT NULL,
            delivered_at BIGINT,
            PRIMARY KEY (submission_id, member_id)
        );
        CREATE INDEX deliveries_by_state ON deliveries (submission_id, state);
        CREATE INDEX deliveries_by_member ON deliveries (member_id, state);
        CREATE TABLE send_pacing (
            list_id BIGINT PRIMARY KEY REFERENCES lists(id) ON DELETE CASCADE,
            next_slot BIGINT NOT NULL DEFAULT 0,
            day_start BIGINT NOT NULL DEFAULT 0,
            day_count BIGINT NOT NULL DEFAULT 0
        );
        """,
        // Minutes intake (issue 4): note-takers, scheduled pad captures, and the IMAP mail-in mailbox.
        """
        ALTER TABLE members ADD COLUMN is_note_taker BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE pad_captures (
            id {id},
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            submission_id TEXT NOT NULL UNIQUE,
            sealed_request {blob} NOT NULL,
            capture_at BIGINT NOT NULL,
            state TEXT NOT NULL,
            failure TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE intakes (
            list_id BIGINT PRIMARY KEY REFERENCES lists(id) ON DELETE CASCADE,
            host TEXT NOT NULL,
            port BIGINT NOT NULL,
            security TEXT NOT NULL,
            username TEXT NOT NULL,
            password_env TEXT NOT NULL,
            folder TEXT NOT NULL,
            trusted_certificate {blob},
            failure TEXT,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE intake_messages (
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            message_key TEXT NOT NULL,
            outcome TEXT NOT NULL,
            submission_id TEXT,
            reply_member_id BIGINT,
            processed_at BIGINT NOT NULL,
            PRIMARY KEY (list_id, message_key)
        );
        """,

        // Adaptive slowdown when the provider defers mail (SendPacer): the current extra spacing, the cool-down
        // after a "slow down" reply, counters for doctor and status, and the recent sending rate it started from.
        """
        ALTER TABLE send_pacing ADD COLUMN throttle_interval BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN throttled_until BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN last_throttle_at BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN throttle_count BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN deferral_count BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN window_start BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE send_pacing ADD COLUMN window_count BIGINT NOT NULL DEFAULT 0;
        """,
        // Keyring management: verified keys, a list key's history and revocation, the key audit log, and the
        // lifecycle notices already sent (so each expiry warning goes out once).
        """
        ALTER TABLE members ADD COLUMN verified_fingerprint TEXT;
        ALTER TABLE members ADD COLUMN verified_at BIGINT;
        ALTER TABLE members ADD COLUMN verified_by TEXT;
        ALTER TABLE lists ADD COLUMN require_verified BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE lists ADD COLUMN key_revoked_at BIGINT;
        ALTER TABLE submissions ADD COLUMN signing_fingerprint TEXT;
        CREATE TABLE list_keys (
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            public_key {blob} NOT NULL,
            sealed_secret_key {blob} NOT NULL,
            created_at BIGINT NOT NULL,
            retired_at BIGINT NOT NULL,
            PRIMARY KEY (list_id, fingerprint)
        );
        CREATE TABLE key_audit (
            id {id},
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            member_email TEXT,
            old_fingerprint TEXT,
            new_fingerprint TEXT,
            detail TEXT
        );
        CREATE INDEX key_audit_by_list ON key_audit (list_id, at);
        CREATE TABLE key_notices (
            member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            event TEXT NOT NULL,
            sent_at BIGINT NOT NULL,
            PRIMARY KEY (member_id, fingerprint, event)
        );
        """,
        // The language a list speaks to its members (the AG template; later its notices): fr or en.
        """
        ALTER TABLE lists ADD COLUMN language TEXT NOT NULL DEFAULT 'fr';
        """,
        // Preparing the AG: the list's own template and the last prepared pad's address, both sealed (the address
        // lets anyone write the minutes; a template may name the people who hold the roles).
        """
        ALTER TABLE lists ADD COLUMN sealed_template {blob};
        ALTER TABLE lists ADD COLUMN sealed_prepared_pad {blob};
        """,
        // Each member's key judged when it changes, not on every listing (KeySummary: status, problem, expiries,
        // encryption subkey ids, tied to the key's bytes by their hash). NULL until judged: read paths then judge it.
        """
        ALTER TABLE members ADD COLUMN key_summary TEXT;
        """,
        // Issue 13: keyed hashes that recognise a second submission of the same minutes (or of the same web form).
        """
        ALTER TABLE submissions ADD COLUMN content_mac TEXT;
        ALTER TABLE submissions ADD COLUMN request_mac TEXT;
        CREATE INDEX submissions_content ON submissions (list_id, content_mac);
        CREATE UNIQUE INDEX submissions_request ON submissions (list_id, request_mac);
        """,
        // Issue 13: who claimed a copy (a dead worker's claims are released at once) and who delivers a batch.
        """
        ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
        CREATE TABLE batch_leases (
            submission_id TEXT NOT NULL,
            batch BIGINT NOT NULL,
            owner TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (submission_id, batch)
        );
        """,
        // The web app: accounts (email, Identity's password hash, lockout, TOTP key sealed), their roles per list,
        // passkeys, recovery codes and invitations (hashed), minutes drafts between preview and confirmation
        // (sealed), and cancelled scheduled sends.
        """
        CREATE TABLE accounts (
            id {id},
            email TEXT NOT NULL,
            normalized_email TEXT NOT NULL UNIQUE,
            password_hash TEXT,
            security_stamp TEXT NOT NULL,
            is_installation_admin BIGINT NOT NULL DEFAULT 0,
            lockout_end BIGINT,
            access_failed_count BIGINT NOT NULL DEFAULT 0,
            two_factor_enabled BIGINT NOT NULL DEFAULT 0,
            sealed_authenticator_key {blob},
            created_at BIGINT NOT NULL
        );
        CREATE TABLE account_roles (
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (account_id, list_id)
        );
        CREATE TABLE account_passkeys (
            credential_id TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            public_key {blob} NOT NULL,
            name TEXT,
            created_at BIGINT NOT NULL,
            sign_count BIGINT NOT NULL,
            transports TEXT,
            is_user_verified BIGINT NOT NULL,
            is_backup_eligible BIGINT NOT NULL,
            is_backed_up BIGINT NOT NULL,
            attestation_object {blob} NOT NULL,
            client_data_json {blob} NOT NULL
        );
        CREATE INDEX account_passkeys_by_account ON account_passkeys (account_id);
        CREATE TABLE account_recovery_codes (
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            PRIMARY KEY (account_id, code_hash)
        );
        CREATE TABLE invitations (
            token_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at BIGINT
        );
        CREATE TABLE minutes_drafts (
            id TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            submission_id TEXT NOT NULL,
            sealed_draft {blob} NOT NULL,
            created_at BIGINT NOT NULL
        );
        ALTER TABLE submissions ADD COLUMN cancelled_at BIGINT;
        """,
        // Members join by invite (issue 11): the link's token is kept as its SHA-256 (lookup) and sealed by the vault (so a
        // list admin can show the link and its QR code again); a join request lives until confirmed, refused or 48 h old.
        """
        CREATE TABLE join_invites (
            id {id},
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            sealed_token {blob} NOT NULL,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            max_uses BIGINT NOT NULL,
            uses BIGINT NOT NULL DEFAULT 0,
            needs_approval BIGINT NOT NULL DEFAULT 0,
            revoked_at BIGINT
        );
        CREATE TABLE join_requests (
            id {id},
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            invite_id BIGINT NOT NULL REFERENCES join_invites(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            public_key {blob} NOT NULL,
            key_expires_at BIGINT,
            token_hash TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            submission_id TEXT,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            confirmed_at BIGINT
        );
        CREATE INDEX join_requests_by_invite ON join_requests (invite_id, created_at);
        CREATE INDEX join_requests_by_email ON join_requests (list_id, email, created_at);
        """,
        // Issue 11 (second part): members' personal links (update my key, leave), their key changes waiting for a
        // confirmation, and when a member was last told their key is unusable. Tables of their own: nothing on members.
        """
        CREATE TABLE member_links (
            id {id},
            member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            sealed_token {blob} NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX member_links_by_member ON member_links (member_id, expires_at);
        CREATE TABLE key_updates (
            id {id},
            member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            public_key {blob} NOT NULL,
            new_token_hash TEXT NOT NULL UNIQUE,
            old_token_hash TEXT UNIQUE,
            new_confirmed_at BIGINT,
            old_confirmed_at BIGINT,
            source TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX key_updates_by_member ON key_updates (member_id);
        CREATE TABLE keyless_notices (
            member_id BIGINT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
            sent_at BIGINT NOT NULL
        );
        """,
        // Issue 17, retention: each submission's content is sealed under its own random key, itself sealed by the vault
        // and kept in submission_keys; shredding deletes that key and the content, keeping only the submission's id,
        // dates and per-member states. Older rows keep their vault-sealed payload (no key row) until purged (SubmissionSealing).
        // keep_days: the list's retention after a submission is finished (NULL: the default, Retention.DefaultKeep).
        """
        CREATE TABLE submission_keys (
            submission_id TEXT PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
            sealed_key {blob} NOT NULL
        );
        ALTER TABLE submissions ADD COLUMN shredded_at BIGINT;
        ALTER TABLE lists ADD COLUMN keep_days BIGINT;
        CREATE INDEX submissions_retention ON submissions (list_id, shredded_at, finished_at);
        """,
        // Issue 17: the member directory sealed. Addresses, fingerprints and keys become sealed values (DirectorySealing) and
        // are found by keyed blind indexes: members.email_key, key_audit.member_index, join_requests.email_index; key_tag lets
        // a key change only if it is still the one read. DirectoryMigration seals the rows already there, in this step's transaction.
        """
        ALTER TABLE members ADD COLUMN key_tag TEXT;
        ALTER TABLE members ADD COLUMN sealed_settings TEXT;
        ALTER TABLE key_audit ADD COLUMN member_index TEXT;
        ALTER TABLE join_requests ADD COLUMN email_index TEXT;
        DROP INDEX join_requests_by_email;
        CREATE INDEX join_requests_by_email_index ON join_requests (list_id, email_index, created_at);
        CREATE INDEX key_audit_by_member ON key_audit (list_id, member_index);
        """,
        // Issue 11: the fingerprint a key change was asked from (sealed like the new one), so a confirmation applies it only
        // while the member still holds that key (not over a key an admin pinned meanwhile). NULL for changes asked before.
        """
        ALTER TABLE key_updates ADD COLUMN from_fingerprint TEXT;
        """,
        // Issue 11, the keyless notice (SelfService/KeylessNotices): sent_at is when a member was last claimed for one (at most
        // one a week); submission_id the missed minutes that claim is for, delivered_at when its mail was answered, so a retried
        // job sends the claimed notice and no other.
        """
        ALTER TABLE keyless_notices ADD COLUMN submission_id TEXT;
        ALTER TABLE keyless_notices ADD COLUMN delivered_at BIGINT;
        """,
        // Issue 17: audit lines that outlive their list (ServiceAuditStore): that a list was deleted, by whom, its name and key's
        // fingerprint sealed by the vault. No list_id: key_audit's rows go with their list (ON DELETE CASCADE), these stay.
        """
        CREATE TABLE service_audit (
            id {id},
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            list_name TEXT NOT NULL,
            detail TEXT
        );
        """,
        // Issue 12: key judgements that listings trust without reading certificates. Members' judgements are resealed bound
        // to their certificate's keyed tag (DirectoryMigration.BindKeySummariesAsync, in this step's transaction); the list
        // key's own judgement is kept with the list (a KeySummary as JSON, tied to the list's public key by its SHA-256: the
        // list key is public and stored in clear beside it), so that keys check need not verify its signatures each time.
        """
        ALTER TABLE lists ADD COLUMN key_summary TEXT;
        """,
    ];

    /// <summary>
    /// Steps that rewrite data with the vault's key, by the version of the SQL step they complete: run right after it, in
    /// its transaction, so a step is applied whole or not at all. They open the vault only when there are rows to rewrite
    /// (a new data dir never needs it); in passphrase mode an upgrade with data then asks for the passphrase once.
    /// </summary>
    private static readonly Dictionary<int, Func<DbConnection, DbTransaction, DirectorySealing, Task>> DataSteps = new()
    {
        [VersionOf("ALTER TABLE members ADD COLUMN key_tag")] = DirectoryMigration.SealAsync,
        [VersionOf("ALTER TABLE lists ADD COLUMN key_summary")] = DirectoryMigration.BindKeySummariesAsync,
    };

    /// <summary>The version of the one SQL step containing <paramref name="marker"/>: a data step stays with its step when steps are renumbered.</summary>
    private static int VersionOf(string marker) =>
        Array.FindIndex(Steps, step => step.Contains(marker, StringComparison.Ordinal)) is var index and >= 0
            ? index + 1
            : throw new InvalidOperationException($"No migration step contains '{marker}'.");

    public static Task ApplyAsync(DbConnection connection, SqlDialect dialect, DirectorySealing? sealing, CancellationToken cancellationToken) =>
        ApplyAsync(connection, dialect, sealing, Steps.Length, cancellationToken);

    /// <summary>
    /// Applies the steps up to version <paramref name="through"/> only: how a test builds an earlier release's schema on a
    /// database the fixtures cannot ship as a file (PostgreSQL), to fill it with that release's rows and migrate it forward.
    /// </summary>
    internal static async Task ApplyAsync(DbConnection connection, SqlDialect dialect, DirectorySealing? sealing, int through, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        // Every command opens the database: when every step is there (all but the first run after an upgrade), one read
        // says so, instead of a locked transaction per step (a tenth of a second of every command's start, issue 12).
        // Steps are never removed, so "all present" cannot turn false under a concurrent migrator.
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version BETWEEN 1 AND @last",
                new { last = (long)Steps.Length }) == Steps.Length)
        {
            return;
        }

        var rewrote = false;
        for (var version = 1; version <= Math.Min(through, Steps.Length); version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (dialect.MigrationLock.Length > 0)
            {
                await connection.ExecuteAsync(dialect.MigrationLock, transaction: transaction);
            }

            var applied = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
            if (applied == 0)
            {
                await connection.ExecuteAsync(dialect.Ddl(Steps[version - 1]), transaction: transaction);
                if (DataSteps.TryGetValue(version, out var dataStep))
                {
                    await dataStep(connection, transaction, sealing ?? throw new InvalidOperationException("This database's migration needs the vault (Database.UseSealing)."));
                    rewrote = true;
                }

                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                    new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (rewrote && dialect.ForgetOverwritten.Length > 0)
        {
            try
            {
                await connection.ExecuteAsync(dialect.ForgetOverwritten);
            }
            catch (DbException)
            {
                // Best effort: another process holds the database open; the sealed rows are committed either way, and
                // README's upgrade note says how to compact by hand.
            }
        }
    }
}
