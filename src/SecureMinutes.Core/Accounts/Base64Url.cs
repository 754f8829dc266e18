namespace SecureMinutes.Accounts;

/// <summary>RFC 4648 §5 base64url without padding, the encoding WebAuthn uses for credential ids.</summary>
internal static class Base64Url
{
    public static string Encode(byte[] data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
