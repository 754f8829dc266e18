using System.Text;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>Looks for a text in every file under a folder, as a person who seized the disk would.</summary>
public static class DataDirScan
{
    public static IReadOnlyList<string> FilesContaining(string directory, string text) =>
        FilesContaining(directory, Encoding.UTF8.GetBytes(text), Encoding.Unicode.GetBytes(text));

    /// <summary>Files holding any of these byte strings (key material, in whatever encoding it would be stored).</summary>
    public static IReadOnlyList<string> FilesContaining(string directory, params byte[][] needles)
    {
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(file =>
            {
                var bytes = File.ReadAllBytes(file);
                return needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0);
            })
            .ToList();
    }
}
