using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace SecureMinutes.Backups;

/// <summary>
/// How a backup is encrypted: to an admin's OpenPGP key (its valid encryption subkeys), or with a passphrase
/// (an OpenPGP SKESK packet, iterated and salted SHA-256 S2K, RFC 9580 §3.7.1.3). Either way the file is an
/// ordinary OpenPGP message (AES-256, integrity protected) that <c>gpg --decrypt</c> opens alone.
/// </summary>
public abstract record BackupProtection
{
    private BackupProtection()
    {
    }

    /// <summary>Adds the recipients or the passphrase to <paramref name="generator"/>.</summary>
    internal abstract void AddTo(PgpEncryptedDataGenerator generator);

    /// <summary>In words, for the command's output ("to key 1234 …", "with a passphrase").</summary>
    public abstract string Describe();

    /// <summary>Encrypted to every valid encryption subkey of <paramref name="Certificate"/> (whose fingerprint is <paramref name="Fingerprint"/>).</summary>
    public sealed record ToKey(Keys.Fingerprint Fingerprint, IReadOnlyList<PgpPublicKey> EncryptionKeys) : BackupProtection
    {
        internal override void AddTo(PgpEncryptedDataGenerator generator)
        {
            foreach (var key in EncryptionKeys)
            {
                generator.AddMethod(key);
            }
        }

        public override string Describe() => $"encrypted to the key {Fingerprint.Grouped}";
    }

    /// <summary>Encrypted with <paramref name="Passphrase"/>.</summary>
    public sealed record WithPassphrase(string Passphrase) : BackupProtection
    {
        internal override void AddTo(PgpEncryptedDataGenerator generator) =>
            generator.AddMethod(Passphrase.ToCharArray(), HashAlgorithmTag.Sha256);

        public override string Describe() => "encrypted with a passphrase";

        // The passphrase is a secret: never printed with the record.
        public override string ToString() => "WithPassphrase { *** }";
    }

    internal static PgpEncryptedDataGenerator Generator() =>
        new(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
}
