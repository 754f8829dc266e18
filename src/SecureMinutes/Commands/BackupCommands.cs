using System.CommandLine;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Backups;
using SecureMinutes.Cli;
using SecureMinutes.Keys;
using SecureMinutes.Secrets;

namespace SecureMinutes.Commands;

/// <summary>
/// <c>backup --to FILE</c> and <c>restore FILE</c>: the whole installation in one OpenPGP-encrypted file
/// (to an admin's key, or with a passphrase), restorable on a fresh machine; see <see cref="BackupWriter"/>.
/// </summary>
public static class BackupCommands
{
    public static Command Backup()
    {
        var to = new Option<FileInfo>("--to") { Description = "The backup file to write (never overwritten)", Required = true };
        var toKey = new Option<FileInfo?>("--to-key") { Description = "Encrypt to this admin's public key (its secret key restores it)" };
        var passphraseEnv = new Option<string?>("--passphrase-env") { Description = "Encrypt with the passphrase in this environment variable (or systemd credential)" };
        var command = new Command("backup", "Write the whole installation (databases, vault, keys) to one encrypted file; safe while serve runs")
        {
            to, toKey, passphraseEnv,
        };
        command.SetHandler(async (ParseResult parse, BackupWriter writer, TimeProvider time, CliConsole console, CancellationToken cancellationToken) =>
        {
            var protection = Protection(parse.GetValue(toKey), parse.GetValue(passphraseEnv), time.GetUtcNow());
            var result = await writer.WriteAsync(parse.GetValue(to)!.FullName, protection, cancellationToken);
            await console.Out.WriteLineAsync(FormattableString.Invariant(
                $"Backup written to {result.Path} ({result.Bytes / 1024.0:0} KiB, {protection.Describe()}): {string.Join(", ", result.Manifest.Files)}"));
            await console.Out.WriteLineAsync($"Restore it with: secureminutes --data-dir NEW-DIR restore {result.Path} {(protection is BackupProtection.ToKey ? "--secret-key ADMIN.sec.asc" : "--passphrase-env VAR")}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Restore()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A file written by secureminutes backup" };
        var secretKey = new Option<FileInfo?>("--secret-key") { Description = "The admin's secret key the backup was encrypted to" };
        var keyPassphraseEnv = new Option<string?>("--key-passphrase-env") { Description = "The variable holding that secret key's passphrase, if it has one" };
        var passphraseEnv = new Option<string?>("--passphrase-env") { Description = "The variable holding the backup's passphrase" };
        var command = new Command("restore", "Restore a backup into an empty data dir (and, with --db, an empty PostgreSQL database)")
        {
            file, secretKey, keyPassphraseEnv, passphraseEnv,
        };
        command.SetHandler(async (ParseResult parse, BackupRestorer restorer, SecureMinutesOptions options, CliConsole console, CancellationToken cancellationToken) =>
        {
            var key = Key(parse.GetValue(secretKey), parse.GetValue(keyPassphraseEnv), parse.GetValue(passphraseEnv));
            var manifest = await restorer.RestoreAsync(parse.GetValue(file)!.FullName, key, cancellationToken);
            await console.Out.WriteLineAsync(FormattableString.Invariant(
                $"Restored the backup of {manifest.CreatedAt:yyyy-MM-dd HH:mm} UTC ({manifest.Database}, written by {manifest.Program}) into {options.DataDirectory}."));
            await console.Out.WriteLineAsync("Queued copies go out when serve (or a worker) runs. If the vault used a passphrase, set SECUREMINUTES_PASSPHRASE as before.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static BackupProtection Protection(FileInfo? toKey, string? passphraseVariable, DateTimeOffset now)
    {
        if ((toKey is null) == (passphraseVariable is null))
        {
            throw new UserFacingException("say how to encrypt the backup: --to-key ADMIN.asc or --passphrase-env VAR (one of them)");
        }

        if (passphraseVariable is not null)
        {
            var passphrase = SecretEnvironment.Get(passphraseVariable)
                ?? throw new UserFacingException($"the passphrase variable {passphraseVariable} is not set");
            return passphrase.Length >= 12
                ? new BackupProtection.WithPassphrase(passphrase)
                : throw new UserFacingException("the backup passphrase is too short: use at least 12 characters (a few random words)");
        }

        var found = KeyFileReader.ReadFile(toKey!.FullName);
        if (found.Count != 1)
        {
            throw new UserFacingException($"{toKey.Name} holds {found.Count} keys: give the admin's key alone");
        }

        var assessment = KeyAssessor.Assess(found[0].Certificate, now, checkKeyMaterial: true);
        return assessment.Status.CanReceive() && assessment.EncryptionKeys.Any()
            ? new BackupProtection.ToKey(assessment.Fingerprint, assessment.EncryptionKeys.ToList())
            : throw new UserFacingException($"{toKey.Name} cannot be encrypted to: {assessment.Problem}");
    }

    private static BackupKey Key(FileInfo? secretKey, string? keyPassphraseVariable, string? passphraseVariable)
    {
        if ((secretKey is null) == (passphraseVariable is null))
        {
            throw new UserFacingException("say how to open the backup: --secret-key ADMIN.sec.asc or --passphrase-env VAR (one of them)");
        }

        if (passphraseVariable is not null)
        {
            return new BackupKey.Passphrase(SecretEnvironment.Get(passphraseVariable)
                ?? throw new UserFacingException($"the passphrase variable {passphraseVariable} is not set"));
        }

        var data = LocalFile.Read(secretKey!.FullName, KeyFileReader.MaxFileBytes, "a secret key file");
        PgpSecretKeyRingBundle keys;
        try
        {
            keys = new PgpSecretKeyRingBundle(PgpUtilities.GetDecoderStream(new MemoryStream(data)));
        }
        catch (Exception ex) when (ex is IOException or PgpException)
        {
            throw new UserFacingException($"{secretKey.Name} is not an OpenPGP secret key");
        }

        var keyPassphrase = keyPassphraseVariable is null ? null
            : SecretEnvironment.Get(keyPassphraseVariable) ?? throw new UserFacingException($"the variable {keyPassphraseVariable} is not set");
        return new BackupKey.SecretKey(keys, keyPassphrase);
    }
}
