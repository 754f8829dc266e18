using Dapper;
using SecureMinutes.Mail;

namespace SecureMinutes.Storage;

public sealed class ProviderStore(Database database)
{
    public async Task SetAsync(long listId, ProviderSettings settings, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO providers (list_id, kind, host, port, security, username, password_env, socks5, trusted_certificate, outbox_dir, updated_at)
            VALUES (@listId, @kind, @host, @port, @security, @username, @passwordEnv, @socks5, @trustedCertificate, @outboxDir, @now)
            ON CONFLICT (list_id) DO UPDATE SET kind = excluded.kind, host = excluded.host, port = excluded.port,
                security = excluded.security, username = excluded.username, password_env = excluded.password_env,
                socks5 = excluded.socks5, trusted_certificate = excluded.trusted_certificate, outbox_dir = excluded.outbox_dir,
                updated_at = excluded.updated_at
            """,
            new
            {
                listId,
                kind = settings.Kind == TransportKind.Smtp ? "smtp" : "outbox",
                host = settings.Host,
                port = settings.Port,
                security = ProviderSettings.SecurityText(settings.Security),
                username = settings.Username,
                passwordEnv = settings.PasswordVariable,
                socks5 = settings.Socks5,
                trustedCertificate = settings.TrustedCertificate,
                outboxDir = settings.OutboxDirectory,
                now = Time.ToDb(now),
            });
    }

    public async Task<ProviderSettings?> FindAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProviderRow>(
            "SELECT kind, host, port, security, username, password_env, socks5, trusted_certificate, outbox_dir FROM providers WHERE list_id = @listId",
            new { listId });
        return row?.ToSettings();
    }

    private sealed class ProviderRow
    {
        public string Kind { get; set; } = "";
        public string? Host { get; set; }
        public long? Port { get; set; }
        public string? Security { get; set; }
        public string? Username { get; set; }
        public string? PasswordEnv { get; set; }
        public string? Socks5 { get; set; }
        public byte[]? TrustedCertificate { get; set; }
        public string? OutboxDir { get; set; }

        public ProviderSettings ToSettings() => new(
            Kind == "outbox" ? TransportKind.Outbox : TransportKind.Smtp,
            Host,
            (int)(Port ?? 0),
            Security switch { "tls" => SmtpSecurity.Tls, "none" => SmtpSecurity.None, _ => SmtpSecurity.StartTls },
            Username,
            PasswordEnv,
            Socks5,
            TrustedCertificate,
            OutboxDir);
    }
}
