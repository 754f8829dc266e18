using System.Text.Json;

namespace SecureMinutes.Minutes.Preparation;

/// <summary>
/// The pad <c>prepare</c> made for a list's next AG, stored sealed on the list so <c>submit LIST --prepared</c>
/// sends it without anyone pasting the link again. The API key is referred to by its variable's name only.
/// </summary>
/// <param name="PadUrl">The read-write address (it lets anyone write the minutes: never stored in clear).</param>
/// <param name="ApiKeyVariable">The variable that held the server's API key at <c>prepare</c>; the pad is read through the API with it.</param>
/// <param name="Date">The AG's date, for messages.</param>
public sealed record PreparedPad(string PadUrl, string ReadOnlyUrl, string? ApiKeyVariable, DateOnly Date, DateTimeOffset PreparedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>JSON, to be sealed under the list's purpose before it is stored.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static PreparedPad Deserialize(byte[] json) =>
        JsonSerializer.Deserialize<PreparedPad>(json, Json) ?? throw new InvalidDataException("A stored prepared pad is empty.");
}
