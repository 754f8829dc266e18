using System.Text.Json;
using SecureMinutes.Minutes.Pads;

namespace SecureMinutes.Minutes;

/// <summary>
/// Everything a scheduled capture needs besides the pad's text, serialised for sealing. The API key is
/// referred to by its environment variable's name only: the worker reads the key when it captures.
/// </summary>
public sealed record PadCaptureRequest(string PadUrl, string? ApiKeyVariable, int? Revision, string? Format, string? Subject,
    IReadOnlyList<MinutesAttachment> Attachments)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public PadRequest ToPadRequest() => PadRequest.Create(PadUrl, ApiKeyVariable, Revision);

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static PadCaptureRequest Deserialize(byte[] json) =>
        JsonSerializer.Deserialize<PadCaptureRequest>(json, Json) ?? throw new InvalidDataException("A stored pad capture request is empty.");
}
