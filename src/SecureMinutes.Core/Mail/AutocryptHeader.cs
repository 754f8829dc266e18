using System.Text;
using MimeKit;

namespace SecureMinutes.Mail;

/// <summary>
/// The <c>Autocrypt:</c> header (Autocrypt Level 1) carrying the list's public key, so clients learn it.
/// MimeKit only folds at spaces and the key data is one long base64 token, so the header is written
/// pre-folded (the spec lets readers drop the folding whitespace).
/// </summary>
public static class AutocryptHeader
{
    public static Header Create(string address, byte[] publicKey)
    {
        var keyData = Convert.ToBase64String(publicKey);
        var raw = new StringBuilder($" addr={address}; prefer-encrypt=mutual; keydata=");
        for (var offset = 0; offset < keyData.Length; offset += 72)
        {
            raw.Append("\r\n ").Append(keyData, offset, Math.Min(72, keyData.Length - offset));
        }

        raw.Append("\r\n");
        var header = new Header("Autocrypt", "");
        header.SetRawValue(Encoding.ASCII.GetBytes(raw.ToString()));
        return header;
    }
}
