using System.Globalization;
using System.Text;
using SecureMinutes.Keys;

namespace SecureMinutes.Keyring;

/// <summary>One line of a <c>email,keyfile[,fingerprint]</c> mapping, or why it cannot be used.</summary>
public sealed record CsvKeyLine(string Origin, string? Email, string? KeyFile, Fingerprint? Fingerprint, string? Problem);

/// <summary>
/// Reads the CSV an admin writes to import an assembly whose keys do not name their addresses (or to pin the
/// fingerprints confirmed at the door): <c>email,keyfile[,fingerprint]</c>, key files relative to the CSV,
/// an optional header line, <c>#</c> comments, quotes around fields that need them.
/// <para>
/// A CSV may come from someone else, so its key paths are confined to the CSV's own folder (and below it):
/// <c>../</c>, absolute paths and symbolic links leading out are refused line by line, so a CSV cannot make
/// the import read any other local file, unless the admin passes <c>--allow-outside-paths</c>.
/// </para>
/// </summary>
public static class CsvKeyMapping
{
    /// <summary>About 40,000 lines: far more members than any assembly has.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The lines of <paramref name="csvPath"/>; with <paramref name="allowOutsidePaths"/> key files may be anywhere.</summary>
    /// <exception cref="UserFacingException">The CSV itself cannot be read, or lists nobody.</exception>
    public static IReadOnlyList<CsvKeyLine> Read(string csvPath, bool allowOutsidePaths = false)
    {
        // As File.ReadAllLines did: UTF-8 (or the encoding a byte order mark names), CR/LF or LF line ends.
        using var reader = new StreamReader(new MemoryStream(LocalFile.Read(csvPath, MaxFileBytes, "a CSV of keys")), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lines = reader.ReadToEnd().Split('\n');

        var directory = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var result = new List<CsvKeyLine>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var origin = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(csvPath)} line {i + 1}");
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = Split(line);
            if (result.Count == 0 && fields[0].Equals("email", StringComparison.OrdinalIgnoreCase))
            {
                continue; // header
            }

            result.Add(Parse(fields, origin, directory, allowOutsidePaths));
        }

        return result.Count > 0 ? result : throw new UserFacingException($"{TerminalText.Escape(csvPath)} lists no members (expected lines email,keyfile[,fingerprint])");
    }

    private static CsvKeyLine Parse(List<string> fields, string origin, string directory, bool allowOutsidePaths)
    {
        if (fields.Count is < 2 or > 3 || fields[1].Length == 0)
        {
            return new CsvKeyLine(origin, fields[0], null, null, "expected email,keyfile[,fingerprint]");
        }

        try
        {
            var email = EmailAddress.Parse(fields[0], "member address");
            var fingerprint = fields.Count == 3 && fields[2].Length > 0 ? new Fingerprint(fields[2]) : (Fingerprint?)null;
            return new CsvKeyLine(origin, email, KeyPath(fields[1], directory, allowOutsidePaths), fingerprint, null);
        }
        catch (UserFacingException ex)
        {
            return new CsvKeyLine(origin, fields[0], null, null, ex.Message);
        }
    }

    /// <summary>The key file's full path, once it is a usable name inside the CSV's folder (or anywhere, if allowed).</summary>
    private static string KeyPath(string field, string directory, bool allowOutsidePaths)
    {
        if (field.Any(c => c == '\0' || char.IsControl(c)))
        {
            throw new UserFacingException($"the key file name \"{TerminalText.Escape(field)}\" holds a NUL or control character");
        }

        var path = Path.GetFullPath(Path.Combine(directory, field));
        if (allowOutsidePaths || IsInside(PhysicalPath.Resolve(Path.Combine(directory, field)), PhysicalPath.Resolve(directory)))
        {
            return path;
        }

        throw new UserFacingException($"the key file {TerminalText.Escape(field)} is outside the CSV's folder {TerminalText.Escape(directory)}: put the key files next to the CSV, or pass --allow-outside-paths if you trust this CSV");
    }

    private static bool IsInside(string path, string directory)
    {
        var folder = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(folder, StringComparison.Ordinal);
    }

    /// <summary>Comma-separated fields; a field in double quotes may hold commas and doubled quotes.</summary>
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }
}
