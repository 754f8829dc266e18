using System.Security.Cryptography;
using System.Text;

namespace SecureMinutes.Joining;

/// <summary>
/// Tokens in join links: 128 random bits (RFC 4648 §5 base64url, 22 characters), kept in the database only as their
/// SHA-256, so a copied database holds no usable link. A token never carries the address it was made for.
/// </summary>
public static class JoinTokens
{
    /// <summary>A new token and the hash to store for it.</summary>
    public static (string Token, string Hash) New()
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return (token, Hash(token));
    }

    /// <summary>The stored form of <paramref name="token"/> (uppercase hex SHA-256 of its UTF-8 text).</summary>
    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim())));
}
