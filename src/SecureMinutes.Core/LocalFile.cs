namespace SecureMinutes;

/// <summary>
/// Reads a file a person named (minutes, an attachment, a key, a CSV, a certificate) into memory: every
/// failure is one line naming the file, and the size limit is enforced while reading, so a file that grows,
/// or a device or pipe that never ends, stops at the limit instead of filling memory.
/// </summary>
public static class LocalFile
{
    private const int ChunkBytes = 81920;

    /// <summary>The whole content of <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="what">What the file is, for the messages ("minutes", "a key file").</param>
    /// <exception cref="UserFacingException">No such file, a folder, not readable, or over the limit.</exception>
    public static byte[] Read(string path, long maxBytes, string what)
    {
        try
        {
            using var stream = Open(path);
            return ReadBounded(stream, path, maxBytes, what);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path} cannot be read ({ex.Message.TrimEnd('.')})");
        }
    }

    private static FileStream Open(string path)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
        }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException)
        {
            throw new UserFacingException($"{path}: not a usable file name");
        }

        if (!info.Exists)
        {
            throw new UserFacingException(Directory.Exists(path) ? $"{path} is a folder, not a file" : $"{path}: no such file");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    private static byte[] ReadBounded(FileStream stream, string path, long maxBytes, string what)
    {
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw TooLarge(path, stream.Length, maxBytes, what);
        }

        using var content = new MemoryStream(stream.CanSeek ? (int)stream.Length : ChunkBytes);
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1 - content.Length))) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > maxBytes)
            {
                throw TooLarge(path, null, maxBytes, what);
            }
        }

        return content.ToArray();
    }

    private static UserFacingException TooLarge(string path, long? size, long maxBytes, string what) => new(size is { } known
        ? FormattableString.Invariant($"{path} is {known / 1024.0:F0} KiB, over the {maxBytes / 1024} KiB limit for {what}")
        : FormattableString.Invariant($"{path} is over the {maxBytes / 1024} KiB limit for {what}"));
}
