using MimeKit;

namespace SecureMinutes.Keys;

/// <summary>The e-mail address inside an OpenPGP user id such as <c>Camille &lt;camille@example.org&gt;</c>.</summary>
public static class UserIdAddress
{
    /// <summary>
    /// The user ids of a key decoded as UTF-8 (RFC 9580 §5.11). BouncyCastle's <c>GetUserIds</c> decodes
    /// them byte-per-char, which garbles accents and makes its string lookups miss them.
    /// </summary>
    public static IEnumerable<(string Text, byte[] Raw)> UserIdsOf(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey key) =>
        key.GetRawUserIds().Select(raw => (System.Text.Encoding.UTF8.GetString(raw), raw));

    public static string? Of(string userId)
    {
        if (MailboxAddress.TryParse(ParserOptions.Default, userId, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return mailbox.Address;
        }

        // Some tools write "Name (comment) <addr>" variants MimeKit is strict about; take the last <…>.
        var open = userId.LastIndexOf('<');
        var close = userId.LastIndexOf('>');
        return open >= 0 && close > open + 1 && userId[(open + 1)..close].Contains('@', StringComparison.Ordinal)
            ? userId[(open + 1)..close].Trim()
            : null;
    }
}
