using System.Text;
using Org.BouncyCastle.Bcpg;

namespace SecureMinutes.Keys;

/// <summary>ASCII armor for public keys as members import them (no Version header: it only names software).</summary>
public static class Armor
{
    public static string PublicKey(params byte[][] certificates)
    {
        using var buffer = new MemoryStream();
        using (var armored = new ArmoredOutputStream(buffer, false))
        {
            foreach (var certificate in certificates)
            {
                armored.Write(certificate);
            }
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }
}
