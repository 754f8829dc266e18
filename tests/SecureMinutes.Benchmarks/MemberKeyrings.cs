using SecureMinutes.Keys;

namespace SecureMinutes.Benchmarks;

/// <summary>
/// The members' certificates as keyring files for <c>member import</c>, <see cref="PublicKeyReader.MaxCertificates"/>
/// to a file at most (one import takes no more: issue 13's parser budget), so a 10,000-member list is five imports.
/// </summary>
internal static class MemberKeyrings
{
    /// <summary>Writes the first <paramref name="count"/> members into <paramref name="directory"/>; returns the files in order.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(BenchContext bench, int count, string directory)
    {
        var files = new List<string>();
        foreach (var chunk in bench.Members.Take(count).Chunk(PublicKeyReader.MaxCertificates))
        {
            var path = Path.Combine(directory, $"members-{files.Count + 1}.pgp");
            await using (var file = File.Create(path))
            {
                foreach (var member in chunk)
                {
                    await file.WriteAsync(member.Certificate);
                }
            }

            files.Add(path);
        }

        return files;
    }
}
