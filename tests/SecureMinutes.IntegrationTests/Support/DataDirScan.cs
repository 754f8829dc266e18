using System.Text;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>Looks for a text in every file under a folder, as a person who seized the disk would.</summary>
public static class DataDirScan
{
    public static IReadOnlyList<string> FilesContaining(string directory, string text)
    {
        var needles = new[] { Encoding.UTF8.GetBytes(text), Encoding.Unicode.GetBytes(text) };
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(file =>
            {
                var bytes = File.ReadAllBytes(file);
                return needles.Any(n => bytes.AsSpan().IndexOf(n) >= 0);
            })
            .ToList();
    }
}
