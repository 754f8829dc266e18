using System.Text.Json.Serialization;

namespace SecureMinutes.Secrets;

/// <summary>What <c>vault.json</c> in the data dir records: how the master key is obtained, never the key itself.</summary>
internal sealed record VaultFile
{
    public const string PassphraseMode = "passphrase";
    public const string KeyFileMode = "key-file";

    [JsonPropertyName("version")] public int Version { get; init; } = 1;

    /// <summary><see cref="PassphraseMode"/> or <see cref="KeyFileMode"/>.</summary>
    [JsonPropertyName("mode")] public required string Mode { get; init; }

    [JsonPropertyName("kdf")] public string? Kdf { get; init; }
    [JsonPropertyName("salt")] public string? Salt { get; init; }
    [JsonPropertyName("memoryKiB")] public int MemoryKiB { get; init; }
    [JsonPropertyName("iterations")] public int Iterations { get; init; }

    /// <summary>A known value sealed with the master key: tells a wrong passphrase from corrupt data.</summary>
    [JsonPropertyName("check")] public required string Check { get; init; }
}
