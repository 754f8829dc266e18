using SecureMinutes.Accounts;
using SecureMinutes.Joining;
using SecureMinutes.Lists;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.SelfService;

/// <summary>
/// Each member's personal link ("update my key, leave the list"), carried in the footer of every mail they receive:
/// a 128-bit random token (<see cref="JoinTokens"/>) stored as its SHA-256 and sealed by the vault so the next mails
/// can carry it again, working for <see cref="Lifetime"/>, single-use (using it deletes all the member's links; the next
/// mail brings a new one). Links never carry the address: the page finds the member from the token.
/// <para>
/// Cost: a batch's links are read in one query, and made, for the members whose newest link would not last
/// <see cref="MinRemaining"/> more, in one transaction: no database write per copy, and most batches write nothing
/// (a member receiving mail every week gets a new link about every four months).
/// </para>
/// </summary>
public sealed class MemberLinks(MemberLinkStore store, MemberStore members, ListStore lists, Vault vault, PublicLinks links, TimeProvider time)
{
    /// <summary>How long a link works after it is made.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    /// <summary>A mail carries a link that still works at least this long (else a new one is made).</summary>
    public static readonly TimeSpan MinRemaining = TimeSpan.FromDays(60);

    /// <summary>The path of a member's page for a token.</summary>
    public static string PathOf(string token) => $"/member/{token}";

    /// <summary>True when links can be made (a public address is set): otherwise mails go without footers.</summary>
    public bool CanLink => links.IsConfigured;

    /// <summary>
    /// A working link for each of <paramref name="memberIds"/> (members' ids only), with its expiry; new links are made
    /// for all who need one in one transaction. Any member may be asked for, on demand: delivery asks for every member
    /// recipient of a batch, those whose copy is then skipped (no usable key) included. Their link is mailed to nobody,
    /// but it is the one a keyless notice ("update your key here") carries, and the next copy once the key works again:
    /// one row per such member every few months, kept rather than judging keys a second time before the send loop.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, (Uri Link, DateTimeOffset ExpiresAt)>> ForMembersAsync(IReadOnlyCollection<long> memberIds,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var existing = await store.NewestAsync(memberIds, now + MinRemaining, cancellationToken);
        var result = new Dictionary<long, (Uri, DateTimeOffset)>();
        var made = new List<MemberLinkStore.StoredLink>();
        foreach (var memberId in memberIds)
        {
            string token;
            MemberLinkStore.StoredLink link;
            if (existing.TryGetValue(memberId, out var stored))
            {
                link = stored;
                token = System.Text.Encoding.UTF8.GetString(vault.Box.Open(stored.SealedToken, Purpose(memberId, stored.TokenHash)));
            }
            else
            {
                (token, var hash) = JoinTokens.New();
                link = new MemberLinkStore.StoredLink(memberId, hash, vault.Box.Seal(System.Text.Encoding.UTF8.GetBytes(token), Purpose(memberId, hash)), now + Lifetime);
                made.Add(link);
            }

            result[memberId] = (links.To(PathOf(token)), link.ExpiresAt);
        }

        await store.AddManyAsync(made, now, cancellationToken);
        return result;
    }

    /// <summary>The member and list a token opens (unexpired, unused), or null: unknown, used and expired links all alike.</summary>
    public async Task<(Member Member, MailingList List)?> FindAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await store.FindMemberAsync(JoinTokens.Hash(token), time.GetUtcNow(), cancellationToken) is not { } memberId
            || (await members.GetManyAsync([memberId], cancellationToken)).SingleOrDefault() is not { } member)
        {
            return null;
        }

        return (member, await lists.GetAsync(member.ListId, cancellationToken));
    }

    /// <summary>Uses a token once (every link of its member goes): the member, or null when it was used or expired meanwhile.</summary>
    public async Task<(Member Member, MailingList List)?> UseAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await store.UseAsync(JoinTokens.Hash(token), time.GetUtcNow(), cancellationToken) is not { } memberId
            || (await members.GetManyAsync([memberId], cancellationToken)).SingleOrDefault() is not { } member)
        {
            return null;
        }

        return (member, await lists.GetAsync(member.ListId, cancellationToken));
    }

    /// <summary>Deletes expired links (the daily sweep); returns how many.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default) => store.SweepAsync(time.GetUtcNow(), cancellationToken);

    // The purpose binds a sealed token to its member and hash: a sealed token copied to another row does not open.
    private static string Purpose(long memberId, string hash) => $"member-link:{memberId}:{hash}";
}
