using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace SecureMinutes;

/// <summary>
/// Opens a path for reading only if it is a regular file. .NET has no API for a file's type, and its
/// <c>FileStream</c> opens without <c>O_NONBLOCK</c>, so opening a FIFO blocks until some writer comes.
/// On Unix the file is therefore opened the way GNU tools do it, with Mono.Unix (the .NET team's POSIX
/// bindings; their native helper ships for linux-x64/arm64 and knows each platform's <c>struct stat</c>):
/// <c>open(O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC)</c>, which returns at once for a FIFO, then
/// <c>fstat</c> on that very descriptor, so what is checked is what is read (no race between a check
/// and the open). Elsewhere the ordinary <see cref="FileStream"/> is used.
/// </summary>
internal static class RegularFile
{
    /// <summary>A stream over <paramref name="path"/>; <paramref name="shown"/> is the path as printed in messages.</summary>
    /// <exception cref="UserFacingException">Missing, a folder, not a regular file, or not readable.</exception>
    public static FileStream OpenRead(string path, string shown)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return OpenPortable(path, shown);
        }

        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOCTTY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            throw OpenFailed(Stdlib.GetLastError(), shown);
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            if (Syscall.fstat(fd, out var status) != 0)
            {
                throw OpenFailed(Stdlib.GetLastError(), shown);
            }

            var type = status.st_mode & FilePermissions.S_IFMT;
            if (type != FilePermissions.S_IFREG)
            {
                throw new UserFacingException(type == FilePermissions.S_IFDIR ? $"{shown} is a folder, not a file" : $"{shown} is {Describe(type)}, not a regular file: give a file saved on disk");
            }

            return new FileStream(handle, FileAccess.Read, bufferSize: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string Describe(FilePermissions type) => type switch
    {
        FilePermissions.S_IFIFO => "a named pipe (FIFO)",
        FilePermissions.S_IFCHR => "a character device",
        FilePermissions.S_IFBLK => "a block device",
        FilePermissions.S_IFSOCK => "a socket",
        _ => "a special file",
    };

    private static UserFacingException OpenFailed(Errno errno, string shown) => new(errno switch
    {
        Errno.ENOENT => $"{shown}: no such file",
        Errno.ENOTDIR => $"{shown}: no such file (a part of the path is not a folder)",
        Errno.EACCES or Errno.EPERM => $"{shown} cannot be read (permission denied)",
        Errno.ELOOP => $"{shown} cannot be read (too many symbolic links)",
        Errno.ENAMETOOLONG => $"{shown}: the file name is too long",
        _ => $"{shown} cannot be read ({Stdlib.strerror(errno)})",
    });

    private static FileStream OpenPortable(string path, string shown)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
        }
        catch (Exception ex) when (ex is ArgumentException or PathTooLongException or NotSupportedException)
        {
            throw new UserFacingException($"{shown}: not a usable file name");
        }

        if (!info.Exists)
        {
            throw new UserFacingException(Directory.Exists(path) ? $"{shown} is a folder, not a file" : $"{shown}: no such file");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }
}
