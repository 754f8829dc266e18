using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureMinutes.Secrets;

/// <summary>
/// Where the data dir's master key comes from. Two modes, fixed when the data dir is first used:
/// <list type="bullet">
/// <item><b>passphrase</b> (env <c>SECUREMINUTES_PASSPHRASE</c> set at first use): the key is derived with
/// Argon2id and exists only in memory; a seized disk reveals no minutes and no list key.</item>
/// <item><b>key file</b> (no passphrase at first use): 32 random bytes in <c>secureminutes.key</c> (mode 0600)
/// next to the data, or at <c>SECUREMINUTES_KEY_FILE</c>. This protects a copied database or backup, not a
/// seized server that holds the key file too; keep the file elsewhere (removable medium, tmpfs) for that.</item>
/// </list>
/// </summary>
public sealed class Vault
{
    public const string PassphraseVariable = "SECUREMINUTES_PASSPHRASE";
    public const string KeyFileVariable = "SECUREMINUTES_KEY_FILE";
    private const string CheckPurpose = "vault-check";
    private static readonly byte[] CheckValue = "SecureMinutes vault v1"u8.ToArray();

    // OWASP's Argon2id baseline (19 MiB, 2 passes): ~150 ms here, paid once per process.
    private const int ArgonMemoryKiB = 19_456;
    private const int ArgonIterations = 2;

    private readonly string _dataDir;
    private readonly Func<string, string?> _environment;
    private readonly Lock _gate = new();
    private SecretBox? _box;

    public Vault(string dataDir, Func<string, string?>? environment = null)
    {
        _dataDir = dataDir;
        _environment = environment ?? SecretEnvironment.Get;
    }

    private string VaultPath => Path.Combine(_dataDir, "vault.json");

    private string KeyFilePath => _environment(KeyFileVariable) is { Length: > 0 } path ? path : Path.Combine(_dataDir, "secureminutes.key");

    /// <summary>Whether the vault was created (at the first use that seals something).</summary>
    public bool Exists => File.Exists(VaultPath);

    /// <summary>Opens the vault (creating it on first use) and returns the box that seals data at rest.</summary>
    public SecretBox Box
    {
        get
        {
            // Read on every sealed value opened, from every core during a large listing: no lock once unlocked.
            if (Volatile.Read(ref _box) is { } box)
            {
                return box;
            }

            lock (_gate)
            {
                if (_box is null)
                {
                    Volatile.Write(ref _box, new SecretBox(File.Exists(VaultPath) ? Unlock() : Initialise()));
                }

                return _box;
            }
        }
    }

    /// <summary>A sentence for <c>doctor</c>/<c>list create</c> output: how this data dir's secrets are protected.</summary>
    public string Describe()
    {
        if (!File.Exists(VaultPath))
        {
            return "not initialised yet";
        }

        var file = Read();
        return file.Mode == VaultFile.PassphraseMode
            ? $"protected by the passphrase in {PassphraseVariable}"
            : $"protected by the key file {KeyFilePath}";
    }

    private byte[] Initialise()
    {
        Directory.CreateDirectory(_dataDir);
        byte[] key;
        VaultFile file;
        if (_environment(PassphraseVariable) is { Length: > 0 } passphrase)
        {
            var salt = RandomNumberGenerator.GetBytes(16);
            key = DeriveKey(passphrase, salt, ArgonMemoryKiB, ArgonIterations);
            file = new VaultFile
            {
                Mode = VaultFile.PassphraseMode,
                Kdf = "argon2id",
                Salt = Convert.ToBase64String(salt),
                MemoryKiB = ArgonMemoryKiB,
                Iterations = ArgonIterations,
                Check = Convert.ToBase64String(new SecretBox(key).Seal(CheckValue, CheckPurpose)),
            };
        }
        else
        {
            key = ReadOrCreateKeyFile();
            file = new VaultFile { Mode = VaultFile.KeyFileMode, Check = Convert.ToBase64String(new SecretBox(key).Seal(CheckValue, CheckPurpose)) };
        }

        try
        {
            WritePrivateFile(VaultPath, JsonSerializer.SerializeToUtf8Bytes(file, VaultFileJson.Default.VaultFile));
        }
        catch (IOException) when (File.Exists(VaultPath))
        {
            // Another process initialised the data dir at the same moment: use its vault.
            return Unlock();
        }

        return key;
    }

    private byte[] Unlock()
    {
        var file = Read();
        byte[] key;
        if (file.Mode == VaultFile.PassphraseMode)
        {
            var passphrase = _environment(PassphraseVariable);
            if (string.IsNullOrEmpty(passphrase))
            {
                throw new UserFacingException($"this data dir is protected by a passphrase: set {PassphraseVariable}");
            }

            key = DeriveKey(passphrase, Convert.FromBase64String(file.Salt ?? ""), file.MemoryKiB, file.Iterations);
        }
        else
        {
            if (!File.Exists(KeyFilePath))
            {
                throw new UserFacingException($"the key file {KeyFilePath} is missing: restore it, or set {KeyFileVariable} to where it is");
            }

            key = ReadOrCreateKeyFile();
        }

        try
        {
            new SecretBox(key).Open(Convert.FromBase64String(file.Check), CheckPurpose);
        }
        catch (CryptographicException)
        {
            throw new UserFacingException(file.Mode == VaultFile.PassphraseMode
                ? $"{PassphraseVariable} does not unlock this data dir (wrong passphrase)"
                : $"the key file {KeyFilePath} does not belong to this data dir");
        }

        return key;
    }

    /// <summary>
    /// An existing key file is adopted: one given through <c>SECUREMINUTES_KEY_FILE</c>, one left by a first
    /// run that stopped before writing vault.json, or one another process created at the same moment.
    /// </summary>
    private byte[] ReadOrCreateKeyFile()
    {
        if (!File.Exists(KeyFilePath))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                WritePrivateFile(KeyFilePath, fresh);
                return fresh;
            }
            catch (IOException) when (File.Exists(KeyFilePath))
            {
            }
        }

        var key = File.ReadAllBytes(KeyFilePath);
        return key.Length == 32 ? key : throw new UserFacingException($"the key file {KeyFilePath} is damaged (expected 32 bytes)");
    }

    // Read with JsonDocument, not the serializer: every command that opens the database reads this file once, and the
    // serializer's first use (options, metadata, converters) cost ~40 ms of a command's start-up (issue 12: everyday
    // commands within a second). Written with the generated serializer (VaultFileJson), whose format a test pins.
    private VaultFile Read()
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(VaultPath));
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
            int Number(string name, int fallback) => root.TryGetProperty(name, out var value) ? value.GetInt32() : fallback;
            return new VaultFile
            {
                Version = Number("version", 1),
                Mode = Text("mode") ?? throw new JsonException("no mode"),
                Kdf = Text("kdf"),
                Salt = Text("salt"),
                MemoryKiB = Number("memoryKiB", 0),
                Iterations = Number("iterations", 0),
                Check = Text("check") ?? throw new JsonException("no check value"),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserFacingException($"{VaultPath} is damaged");
        }
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt, int memoryKiB, int iterations)
    {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
            .WithSalt(salt).WithParallelism(1).WithMemoryAsKB(memoryKiB).WithIterations(iterations).Build();
        var generator = new Argon2BytesGenerator();
        generator.Init(parameters);
        var key = new byte[32];
        generator.GenerateBytes(Encoding.UTF8.GetBytes(passphrase), key);
        return key;
    }

    internal static void WritePrivateFile(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
