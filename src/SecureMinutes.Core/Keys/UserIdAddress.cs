using MimeKit;

namespace SecureMinutes.Keys;

/// <summary>The e-mail address inside an OpenPGP user id such as <c>Camille &lt;camille@example.org&gt;</c>.</summary>
public static class UserIdAddress
{
    private static readonly System.Text.Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);

    /// <summary>
    /// The user ids of a key with their text (see <see cref="Decode"/>) and their raw bytes, which are what
    /// self-signatures cover. BouncyCastle's <c>GetUserIds</c> decodes them byte-per-char, which garbles
    /// accents and makes its string lookups miss them.
    /// </summary>
    public static IEnumerable<(string Text, byte[] Raw)> UserIdsOf(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey key) =>
        key.GetRawUserIds().Select(raw => (Decode(raw), raw));

    /// <summary>
    /// A user id's text: UTF-8 as RFC 9580 §5.11 says; bytes that are not valid UTF-8 are read as ISO-8859-1,
    /// which is what PGP 2-6 and GnuPG 1.x wrote from a Latin-1 terminal (gpg itself shows such ids escaped,
    /// rnp and Sequoia accept them). C1 control bytes (0x80-0x9F) then become U+FFFD rather than characters a
    /// terminal would obey: a Latin-1 name never contains them.
    /// </summary>
    public static string Decode(byte[] raw)
    {
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return string.Create(raw.Length, raw, static (chars, bytes) =>
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    chars[i] = bytes[i] is >= 0x80 and <= 0x9F ? '\uFFFD' : (char)bytes[i];
                }
            });
        }
    }

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
