using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Online;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Joining;

/// <summary>What "find my key" found: the key to show (armored, ready for the join form), where it came from, and every source asked.</summary>
/// <param name="ArmoredKey">The certificate found, ASCII-armored; null when none was.</param>
/// <param name="Source">The source that had it ("WKD advanced openpgpkey.example.org", "VKS keys.openpgp.org"), or null.</param>
/// <param name="Asked">One line per source asked, in the order asked ("…: not found", "…: failed (why)").</param>
public sealed record FoundJoinKey(string? ArmoredKey, string? Source, IReadOnlyList<string> Asked);

/// <summary>
/// "Find my key" on the join page: looks the person's key up by the address they typed in their own domain's Web Key
/// Directory and, only if they ticked it, on keys.openpgp.org (we never ask a keyserver about an address on our own:
/// that would tell it who joins which list). Requests leave through the list's SOCKS5 proxy (Tor) when it has one.
/// The key found is not trusted for anything: it goes back into the form, is judged as any pasted key, and proven by
/// the challenge like any other.
/// </summary>
public sealed class JoinKeyFinder(JoinRequests joining, ProviderStore providers, KeyringOptions options)
{
    /// <summary>Looks up the key of <paramref name="email"/> for the list of the open invite <paramref name="inviteToken"/>.</summary>
    /// <exception cref="UserFacingException">The invite is not open, or the address is not an address.</exception>
    public async Task<FoundJoinKey> FindAsync(string inviteToken, string email, bool askKeyserver, CancellationToken cancellationToken = default)
    {
        var (_, list) = await joining.FindOpenInviteAsync(inviteToken, cancellationToken) ?? throw new UserFacingException("this invite link is not valid (any more)");
        email = EmailAddress.Parse(email, "address");
        using var sources = OnlineKeySources.For(list, await providers.FindAsync(list.Id, cancellationToken), options);
        var results = await sources.FindByAddressAsync(email, askKeyserver, cancellationToken);
        foreach (var result in results)
        {
            if (Best(result.Certificates, email) is { } certificate)
            {
                return new FoundJoinKey(Armor.PublicKey(certificate.GetEncoded()), result.Source, Asked(results));
            }
        }

        return new FoundJoinKey(null, null, Asked(results));
    }

    /// <summary>
    /// Of the certificates a source returned, one naming <paramref name="email"/> in a user id (a WKD may serve several,
    /// e.g. a new key and the one it replaces): the most recently created.
    /// </summary>
    private static PgpPublicKeyRing? Best(IReadOnlyList<PgpPublicKeyRing> certificates, string email) => certificates
        .Where(c => UserIdAddress.UserIdsOf(c.GetPublicKey()).Any(uid => EmailAddress.SameAddress(UserIdAddress.Of(uid.Text), email)))
        .OrderByDescending(c => c.GetPublicKey().CreationTime)
        .FirstOrDefault();

    private static List<string> Asked(IReadOnlyList<FetchResult> results) => [.. results.Select(r => r.Describe())];
}
