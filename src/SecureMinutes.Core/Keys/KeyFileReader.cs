using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>A certificate found in what an admin was given, and where in it (for the report).</summary>
public sealed record FoundCertificate(PgpPublicKeyRing Certificate, string Origin);

/// <summary>
/// Reads keys the way they arrive: a key file (armored, with text around, several blocks or several keys in
/// one block as OpenKeychain exports them, or binary as <c>gpg --export</c> writes), or a whole saved mail
/// (.eml) carrying the key as Thunderbird's "attach my public key" does, inline in its text, or in its
/// Autocrypt header. Copies of the same certificate are merged into one. Secret keys are refused, whatever
/// they come in (<see cref="PublicKeyReader"/>): nothing of a file holding one is used.
/// </summary>
public static class KeyFileReader
{
    public static IReadOnlyList<FoundCertificate> Read(ReadOnlySpan<byte> data, string sourceName)
    {
        var found = LooksLikeMail(data)
            ? MailKeyExtractor.Extract(data.ToArray(), sourceName)
            : PublicKeyReader.Read(data, sourceName).Select(c => new FoundCertificate(c, sourceName)).ToList();
        return MergeCopies(found);
    }

    /// <summary>
    /// The largest key file read: a whole keyring export of an assembly, or one key carrying thousands of
    /// third-party signatures (keyserver floods), stays well below it.
    /// </summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Reads the key file (or saved mail) an admin named, at most <see cref="MaxFileBytes"/>.</summary>
    public static IReadOnlyList<FoundCertificate> ReadFile(string path) => Read(ReadBytes(path), Path.GetFileName(path));

    /// <summary>The bytes of the key file an admin named, at most <see cref="MaxFileBytes"/>, with one-line errors.</summary>
    public static byte[] ReadBytes(string path) => LocalFile.Read(path, MaxFileBytes, "a key file");

    /// <summary>One entry per certificate, in the order first seen; found by fingerprint, so linear in the count.</summary>
    private static List<FoundCertificate> MergeCopies(IReadOnlyList<FoundCertificate> found)
    {
        // By fingerprint in a dictionary: a keyring of 10,000 keys compared each with all the others took ~50 s.
        var merged = new List<FoundCertificate>();
        var indexOf = new Dictionary<Fingerprint, int>();
        foreach (var item in found)
        {
            var fingerprint = Fingerprint.Of(item.Certificate.GetPublicKey());
            if (!indexOf.TryGetValue(fingerprint, out var index))
            {
                indexOf[fingerprint] = merged.Count;
                merged.Add(item);
            }
            else
            {
                merged[index] = merged[index] with { Certificate = KeyMerge.Merge(merged[index].Certificate, item.Certificate).Certificate };
            }
        }

        return merged;
    }

    /// <summary>
    /// A mail starts with header fields (an mbox "From " line may come first) and names a mail header among
    /// them before the first empty line; OpenPGP data starts with armor or a packet byte (high bit set).
    /// </summary>
    private static bool LooksLikeMail(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || (data[0] & 0x80) != 0)
        {
            return false;
        }

        var head = Encoding.Latin1.GetString(data[..Math.Min(data.Length, 64 * 1024)]);
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[0].StartsWith("From ", StringComparison.Ordinal))
        {
            lines.RemoveAt(0);
        }

        var sawMailHeader = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                return sawMailHeader;
            }

            if (line[0] is ' ' or '\t')
            {
                continue; // folded continuation of the previous field
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c <= ' ' || c > '~'))
            {
                return false;
            }

            sawMailHeader |= MailHeaders.Contains(line[..colon]);
        }

        return false;
    }

    private static readonly HashSet<string> MailHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Received", "Return-Path", "Delivered-To", "Autocrypt",
    };
}
