namespace SecureMinutes;

/// <summary>
/// Where a path really leads, as the kernel would walk it: each component in turn, following symbolic links
/// and taking <c>..</c> from where a link led (not textually, as <see cref="Path.GetFullPath(string)"/> does:
/// <c>sub/link/../../x</c> leaves the folder when <c>link</c> points elsewhere). Components that do not exist
/// are kept as written. Used to confine paths a file lists to that file's folder.
/// </summary>
public static class PhysicalPath
{
    /// <summary>More links than this in one path is a loop (Linux stops at 40 too).</summary>
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var root = Path.GetPathRoot(full) ?? "/";
        var pending = new LinkedList<string>(Split(full[root.Length..]));
        var current = root;
        var links = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new UserFacingException($"{TerminalText.Escape(path)}: too many symbolic links (a loop?)");
            }

            // The link's target replaces it: absolute from the root, relative from the link's folder.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }

            foreach (var component in Split(target).Reverse())
            {
                pending.AddFirst(component);
            }
        }

        return current;
    }

    private static string[] Split(string path) => path.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.None);

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
