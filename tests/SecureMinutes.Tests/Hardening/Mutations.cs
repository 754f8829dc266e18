using CsCheck;

namespace SecureMinutes.Tests.Hardening;

/// <summary>
/// Inputs for the fuzz tests: real samples mutated the way damaged or hostile files are (bit flips, bytes
/// inserted, removed, repeated or spliced in from another sample, truncation). CsCheck draws the sample
/// and a 64-bit mutation seed from its own seeded generator, so a failure is replayed from the seed it prints.
/// </summary>
internal static class Mutations
{
    private static readonly byte[] Interesting = "\0\r\n\u001b<>[]()*>-|`\"'&#:;=@\\/%+"u8.ToArray();

    public static Gen<byte[]> Of(IReadOnlyList<byte[]> samples) =>
        Gen.Select(Gen.Int[0, samples.Count - 1], Gen.ULong, Gen.Int[1, 12], (index, seed, count) => Mutate(samples, samples[index], seed, count));

    public static Gen<string> OfText(IReadOnlyList<string> samples) =>
        Of(samples.Select(System.Text.Encoding.UTF8.GetBytes).ToList()).Select(b => System.Text.Encoding.UTF8.GetString(b));

    private static byte[] Mutate(IReadOnlyList<byte[]> samples, byte[] sample, ulong seed, int count)
    {
        var random = new Random((int)(seed ^ (seed >> 32)));
        var data = new List<byte>(sample);
        for (var i = 0; i < count; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(1, 64)));
                    break;
                case 3 when data.Count > 0:
                    // A run repeated many times: nesting, floods.
                    var length = Math.Min(data.Count - at, random.Next(1, 16));
                    var run = data.GetRange(at, length);
                    for (var r = random.Next(2, 300); r > 0; r--)
                    {
                        data.InsertRange(at, run);
                    }

                    break;
                case 4:
                    var other = samples[random.Next(samples.Count)];
                    if (other.Length > 0)
                    {
                        var from = random.Next(other.Length);
                        data.InsertRange(at, other.Skip(from).Take(random.Next(1, 256)));
                    }

                    break;
                case 5 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 6 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                default:
                    data.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. data];
    }
}
