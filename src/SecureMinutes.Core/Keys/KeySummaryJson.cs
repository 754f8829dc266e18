using System.Text.Json.Serialization;

namespace SecureMinutes.Keys;

/// <summary>
/// <see cref="KeySummary"/>'s stored JSON, generated at build time (System.Text.Json source generation): a listing of
/// 10,000 members reads 10,000 summaries, and the reflection-based serializer's first use alone cost a command tens of
/// milliseconds (issue 12: everyday commands within a second). Same options as before, so stored summaries read unchanged.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeySummary))]
internal sealed partial class KeySummaryJson : JsonSerializerContext;
