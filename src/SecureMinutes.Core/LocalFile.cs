namespace SecureMinutes;

/// <summary>
/// Reads a file a person named (minutes, an attachment, a key, a CSV, a certificate) into memory: every
/// failure is one line naming the file. Only regular files are read: a FIFO would block the open itself,
/// and <c>/dev/zero</c>, <c>/dev/stdin</c> or a socket never end (their length reads 0, so a size check
/// done before reading passes them). The size limit is enforced while reading, so a file that grows
/// stops at the limit instead of filling memory.
/// </summary>
public static class LocalFile
{
    private const int ChunkBytes = 81920;

    /// <summary>The whole content of <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="what">What the file is, for the messages ("minutes", "a key file").</param>
    /// <exception cref="UserFacingException">
    /// No such file, a folder, a FIFO, device or socket, not readable, a name with a NUL, or over the limit.
    /// </exception>
    public static byte[] Read(string path, long maxBytes, string what)
    {
        var shown = TerminalText.Escape(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new UserFacingException($"'{shown}' is not a usable file name (empty, or it holds a NUL character)");
        }

        try
        {
            using var stream = RegularFile.OpenRead(path, shown);
            return ReadBounded(stream, shown, maxBytes, what);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{shown} cannot be read ({TerminalText.Escape(ex.Message.TrimEnd('.'))})");
        }
    }

    private static byte[] ReadBounded(FileStream stream, string shown, long maxBytes, string what)
    {
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw TooLarge(shown, stream.Length, maxBytes, what);
        }

        using var content = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, maxBytes) : ChunkBytes);
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes + 1 - content.Length))) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > maxBytes)
            {
                throw TooLarge(shown, null, maxBytes, what);
            }
        }

        return content.ToArray();
    }

    private static UserFacingException TooLarge(string shown, long? size, long maxBytes, string what) => new(size is { } known
        ? FormattableString.Invariant($"{shown} is {known / 1024.0:F0} KiB, over the {maxBytes / 1024} KiB limit for {what}")
        : FormattableString.Invariant($"{shown} is over the {maxBytes / 1024} KiB limit for {what}"));
}
