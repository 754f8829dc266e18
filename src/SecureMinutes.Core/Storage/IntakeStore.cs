using Dapper;
using SecureMinutes.MailIn;
using SecureMinutes.Mail;

namespace SecureMinutes.Storage;

public sealed class IntakeStore(Database database)
{
    public async Task SetAsync(long listId, IntakeSettings settings, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO intakes (list_id, host, port, security, username, password_env, folder, trusted_certificate, updated_at)
            VALUES (@listId, @Host, @Port, @security, @Username, @PasswordVariable, @Folder, @TrustedCertificate, @now)
            ON CONFLICT (list_id) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
                username = excluded.username, password_env = excluded.password_env, folder = excluded.folder,
                trusted_certificate = excluded.trusted_certificate, failure = NULL, updated_at = excluded.updated_at
            """,
            new
            {
                listId, settings.Host, settings.Port, security = ProviderSettings.SecurityText(settings.Security), settings.Username,
                settings.PasswordVariable, settings.Folder, settings.TrustedCertificate, now = Time.ToDb(now),
            });
    }

    public async Task<bool> RemoveAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM intakes WHERE list_id = @listId", new { listId }) == 1;
    }

    public async Task<IntakeSettings?> FindAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT host, port, security, username, password_env, folder, trusted_certificate FROM intakes WHERE list_id = @listId", new { listId });
        return row?.ToSettings();
    }

    /// <summary>Records why fetching fails (null: it works again); true when that changed, so admins are told once per problem.</summary>
    public async Task<bool> SetFailureAsync(long listId, string? failure, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE intakes SET failure = @failure WHERE list_id = @listId AND (failure IS NULL OR @failure IS NULL OR failure <> @failure) AND NOT (failure IS NULL AND @failure IS NULL)",
            new { listId, failure }) == 1;
    }

    public async Task<IReadOnlyList<long>> ListIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>("SELECT list_id FROM intakes")).ToList();
    }

    private sealed class Row
    {
        public string Host { get; set; } = "";
        public long Port { get; set; }
        public string Security { get; set; } = "";
        public string Username { get; set; } = "";
        public string PasswordEnv { get; set; } = "";
        public string Folder { get; set; } = "";
        public byte[]? TrustedCertificate { get; set; }

        public IntakeSettings ToSettings() => new(Host, (int)Port,
            Security switch { "tls" => SmtpSecurity.Tls, "none" => SmtpSecurity.None, _ => SmtpSecurity.StartTls },
            Username, PasswordEnv, Folder, TrustedCertificate);
    }
}
