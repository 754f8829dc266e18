using System.Diagnostics;
using Npgsql;
using SecureMinutes.Storage;

namespace SecureMinutes.Backups;

/// <summary>
/// PostgreSQL's own tools for a whole database: <c>pg_dump --format=custom</c> and <c>pg_restore</c> (Debian's
/// postgresql-client). The password goes through PGPASSWORD, never on a command line other users can read.
/// </summary>
internal static class PostgresTools
{
    public static Task DumpAsync(string url, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_dump", url, ["--format=custom", "--no-owner", "--no-privileges", $"--file={file}"], cancellationToken);

    /// <summary>pg_restore needs the target named (PGDATABASE alone makes it print the archive): its name only, the rest comes from PG* variables.</summary>
    public static Task RestoreAsync(string url, string file, CancellationToken cancellationToken) =>
        RunAsync("pg_restore", url, ["--no-owner", "--no-privileges", "--exit-on-error",
            "--dbname=" + new NpgsqlConnectionStringBuilder(PostgresDialect.ConnectionString(url)).Database, file], cancellationToken);

    /// <summary>True when the database holds no table outside PostgreSQL's own schemas.</summary>
    public static async Task<bool> IsEmptyAsync(string url, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresDialect.ConnectionString(url));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 0;
    }

    private static async Task RunAsync(string tool, string url, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(PostgresDialect.ConnectionString(url));
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = connection.Database;
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password;
        start.Environment["PGSSLMODE"] = connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new UserFacingException($"{tool} could not be started");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserFacingException($"{tool} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client)");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var firstLine = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit {process.ExitCode}";
                throw new UserFacingException($"{tool} failed: {firstLine.Trim()}");
            }
        }
    }
}
