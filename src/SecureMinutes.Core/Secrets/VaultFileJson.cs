using System.Text.Json.Serialization;

namespace SecureMinutes.Secrets;

/// <summary>
/// <c>vault.json</c>'s reader and writer, generated at build time (System.Text.Json source generation): every command
/// unlocks the vault, and the reflection-based serializer's first use cost each one tens of milliseconds (issue 12).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(VaultFile))]
internal sealed partial class VaultFileJson : JsonSerializerContext;
