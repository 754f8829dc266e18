using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Keys.Online;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Keyring;

/// <summary>
/// Keeps a list's keyring fresh: fetches each member's key from the keyservers (by fingerprint) and their
/// domain's WKD (by address), merges newer copies of the SAME key (extended expiry, new subkeys,
/// revocations), and reports a different key found for a member without ever adopting it: only an admin
/// can pin a member to another key. A member whose key becomes usable again gets what they missed.
/// </summary>
public sealed partial class KeyRefresh(
    MemberStore members, ProviderStore providers, AuditStore audit, KeyringOptions options,
    Redistribution redistribution, TimeProvider time, ILogger<KeyRefresh> logger)
{
    public async Task<RefreshReport> RefreshAsync(MailingList list, string actor, CancellationToken cancellationToken)
    {
        using var sources = OnlineKeySources.For(list, await providers.FindAsync(list.Id, cancellationToken), options);
        var memberList = await members.ListAsync(list.Id, cancellationToken);
        using var gate = new SemaphoreSlim(options.Parallelism);
        var results = await Task.WhenAll(memberList.Select(async member =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await RefreshMemberAsync(list, member, sources, actor, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));

        int updated = results.Count(r => r.Updated), others = results.Count(r => r.OtherKeys.Count > 0), failed = results.Count(r => r.AllFailed);
        LogRefreshed(logger, list.Id, results.Length, updated, others, failed);
        return new RefreshReport(list, sources.Route, results);
    }

    private async Task<MemberRefresh> RefreshMemberAsync(MailingList list, Lists.Member member, OnlineKeySources sources, string actor,
        CancellationToken cancellationToken)
    {
        var found = await sources.FetchAsync(member, cancellationToken);
        var now = time.GetUtcNow();
        var stored = new PgpPublicKeyRing(member.PublicKey);
        var before = KeyAssessor.Assess(stored, now);

        var merged = stored;
        var others = new List<Fingerprint>();
        foreach (var certificate in found.SelectMany(f => f.Certificates))
        {
            var fingerprint = Fingerprint.Of(certificate.GetPublicKey());
            if (fingerprint == member.Fingerprint)
            {
                merged = KeyMerge.Merge(merged, certificate).Certificate;
            }
            else if (!others.Contains(fingerprint) && KeyAssessor.Assess(certificate, now).HasUserIdFor(member.Email))
            {
                others.Add(fingerprint);
            }
        }

        var changed = !merged.GetEncoded().AsSpan().SequenceEqual(member.PublicKey);
        var after = changed ? KeyAssessor.Assess(merged, now, checkKeyMaterial: KeyAcceptance.HasNewKeyMaterial(stored, merged)) : before;
        IReadOnlyList<string> changes = changed ? KeyChanges.Between(before, after) : [];
        if (changed && changes.Count == 0)
        {
            changes = ["new self-signatures merged (no change to how mail is encrypted)"];
        }

        if (changed)
        {
            var from = string.Join(", ", found.Where(f => f.Certificates.Any(c => Fingerprint.Of(c.GetPublicKey()) == member.Fingerprint)).Select(f => f.Source));
            var entry = new AuditEntry(list.Id, now, actor, AuditActions.RefreshMerged, member.Email, member.Fingerprint.Hex, member.Fingerprint.Hex,
                $"{string.Join("; ", changes)} (from {from})");
            var mergedBytes = merged.GetEncoded();
            if (!await members.UpdateKeyAsync(member.Id, member.PublicKey, member.Fingerprint, mergedBytes, after.Expires, entry,
                KeySummary.Of(after, mergedBytes), cancellationToken))
            {
                // An admin changed this key meanwhile; their import wins and the next refresh starts from it.
                (after, changes) = (before, []);
            }
            else if (!before.Status.CanReceive() && after.Status.CanReceive())
            {
                redistribution.Queue(member.Id);
            }
        }

        var newlySeen = new List<Fingerprint>();
        foreach (var other in others)
        {
            if (!await audit.ExistsAsync(list.Id, AuditActions.RefreshOtherKey, member.Email, other.Hex, cancellationToken))
            {
                await audit.AddAsync(new AuditEntry(list.Id, now, actor, AuditActions.RefreshOtherKey, member.Email, member.Fingerprint.Hex, other.Hex,
                    "a different key is published for this address; not adopted"), cancellationToken);
                newlySeen.Add(other);
            }
        }

        return new MemberRefresh(member, found, before, after, changes, others, newlySeen);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "List {ListId}: refreshed {Members} member keys, {Updated} updated, {Others} with a different key online, {Failed} unreachable")]
    private static partial void LogRefreshed(ILogger logger, long listId, int members, int updated, int others, int failed);
}
