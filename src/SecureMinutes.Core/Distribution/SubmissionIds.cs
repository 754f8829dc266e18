using System.Security.Cryptography;

namespace SecureMinutes.Distribution;

/// <summary>Random, unguessable submission ids people can read aloud: <c>sub-7k2m-q9xp-4hd3</c>.</summary>
public static class SubmissionIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New()
    {
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"sub-{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }
}
