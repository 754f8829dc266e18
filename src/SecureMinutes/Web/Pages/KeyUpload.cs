using Microsoft.Extensions.Localization;
using SecureMinutes.Keys;
using SecureMinutes.Web.Resources;

namespace SecureMinutes.Web.Pages;

/// <summary>
/// A public key as a person gives it on a form: pasted text, else an uploaded file (a key, or Thunderbird's "attach my
/// public key" mail, which <see cref="KeyFileReader"/> reads), within the key file limit. Shared by the members and join pages.
/// </summary>
public static class KeyUpload
{
    /// <summary>The bytes and a name for messages.</summary>
    /// <exception cref="UserFacingException">Nothing given, or a file over the limit.</exception>
    public static async Task<(byte[] Data, string Name)> ReadAsync(string? pasted, IFormFile? file, IStringLocalizer<Text> text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(pasted))
        {
            return (System.Text.Encoding.UTF8.GetBytes(pasted), text["PastedKey"]);
        }

        if (file is not { Length: > 0 })
        {
            throw new UserFacingException(text["NoKeyGiven"]);
        }

        if (file.Length > KeyFileReader.MaxFileBytes)
        {
            throw new UserFacingException(text["FileTooLarge", file.FileName, SecureMinutes.Minutes.IntakeLimits.Describe(KeyFileReader.MaxFileBytes)]);
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return (buffer.ToArray(), Path.GetFileName(file.FileName));
    }
}
