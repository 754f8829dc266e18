namespace SecureMinutes.Minutes;

/// <summary>Reads a file the note-taker named into memory, with one-line errors and a size limit.</summary>
internal static class LocalFiles
{
    public static byte[] ReadAll(string path, long maxBytes, string what)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UserFacingException(Directory.Exists(path) ? $"{path} is a folder, not a file" : $"{path}: no such file");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException)
        {
            throw new UserFacingException($"{path}: not a usable file name");
        }

        if (info.Length > maxBytes)
        {
            throw new UserFacingException($"{path} is {info.Length / 1024.0:F0} KiB, over the {maxBytes / 1024} KiB limit for {what}");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path} cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }
}
