using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Backups;

/// <summary>What opens a backup: the admin's secret key (with its passphrase, if it has one), or the backup's passphrase.</summary>
public abstract record BackupKey
{
    private BackupKey()
    {
    }

    public sealed record SecretKey(PgpSecretKeyRingBundle Keys, string? KeyPassphrase) : BackupKey
    {
        public override string ToString() => "SecretKey { *** }";
    }

    public sealed record Passphrase(string Value) : BackupKey
    {
        public override string ToString() => "Passphrase { *** }";
    }
}
