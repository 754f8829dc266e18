using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

/// <param name="Replace">Pin an existing member to a different key (a newer copy of their own key needs no flag).</param>
/// <param name="ExpectedFingerprint">The fingerprint the member confirmed out of band: the key must have it, and is stored verified.</param>
/// <param name="Actor">Who makes the change, for the audit log.</param>
public sealed record MemberOptions(bool AllowUserIdMismatch = false, bool IsAdmin = false, bool Replace = false,
    Fingerprint? ExpectedFingerprint = null, string Actor = "unknown", bool IsNoteTaker = false)
{
    /// <summary>
    /// Change the member's key only while they hold this one (compare-and-set: a member's own key change asked from it must
    /// not overwrite a key pinned since, by an admin say); null: whatever key they hold.
    /// </summary>
    public Fingerprint? ReplacingFingerprint { get; init; }
}

/// <summary>A member and their key as judged now (<see cref="MemberKeys"/>).</summary>
public sealed record MemberView(MemberEntry Member, KeyState Key);

/// <summary>What an import did: the member as stored now, their key as judged now, and what changed.</summary>
public sealed record KeyImport(Member Member, KeyAssessment Key, KeyImportOutcome Outcome, IReadOnlyList<string> Changes,
    Fingerprint? Previous, FoundCertificate Source);

/// <summary>
/// Who is on a list, each pinned to one certificate. A new key is checked once, when it is imported: anything
/// that could not receive encrypted mail is refused with the reason, and nothing is stored. A newer copy of a
/// member's own key is merged (so revocations and extended expiries are never refused); a different key
/// replaces the pinned one only when asked (<c>--replace</c>). Every change goes to the audit log.
/// </summary>
public sealed class Membership(ListStore lists, MemberStore members, TimeProvider time)
{
    public Task<KeyImport> AddAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default) => ImportAsync(listName, email, keyData, sourceName, options, store: true, cancellationToken);

    /// <summary>What <see cref="AddAsync"/> would do, without storing anything (<c>member add --dry-run</c>).</summary>
    public Task<KeyImport> PreviewAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default) => ImportAsync(listName, email, keyData, sourceName, options, store: false, cancellationToken);

    /// <summary>
    /// Judges a key exactly as <see cref="AddAsync"/> would for a new member at <paramref name="email"/>, whether or not the
    /// address is one already: the join page must answer a member and a stranger alike (no enumeration). Stores nothing.
    /// </summary>
    public Task<KeyImport> PreviewNewcomerAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default) => ImportAsync(listName, email, keyData, sourceName, options, store: false, cancellationToken, asNewcomer: true);

    /// <summary>Pins an existing member to another key, checked exactly like a new one.</summary>
    public Task<KeyImport> ReplaceKeyAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default) => AddAsync(listName, email, keyData, sourceName, options with { Replace = true }, cancellationToken);

    private async Task<KeyImport> ImportAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options, bool store,
        CancellationToken cancellationToken, bool asNewcomer = false)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        email = EmailAddress.Parse(email, "member address");
        var existing = asNewcomer ? null : await members.FindAsync(list.Id, email, cancellationToken);
        var now = time.GetUtcNow();
        if (options.ReplacingFingerprint is { } replacing && existing?.Fingerprint != replacing)
        {
            throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.KeyChangedSince),
                $"the key of {email} on {list.Name} is no longer {replacing.Hex}, the one this change was asked from: nothing changed");
        }

        if (PublicKeyReader.RevocationsIn(keyData) is { Count: > 0 } revocations)
        {
            return await RevokeAsync(list, existing ?? throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.RevocationCertificate), $"{sourceName} is a revocation certificate: it can only revoke the key of a member, and {email} is not a member of {list.Name}"),
                revocations, sourceName, options, store, now, cancellationToken);
        }

        var found = ChooseCertificate(KeyFileReader.Read(keyData, sourceName), email, sourceName, existing?.Fingerprint, options.ExpectedFingerprint, now);
        var certificate = SelfSignatures.Only(found.Certificate);
        var fingerprint = Fingerprint.Of(certificate.GetPublicKey());
        var verified = options.ExpectedFingerprint is not null ? fingerprint : (Fingerprint?)null;

        if (existing is not null && existing.Fingerprint == fingerprint)
        {
            return await MergeAsync(list, existing, certificate, found, options, store, now, cancellationToken);
        }

        if (existing is not null && !options.Replace)
        {
            throw new UserFacingException($"{existing.Email} is already a member of {list.Name} with key {existing.Fingerprint.Hex}; {found.Origin} holds a different key ({fingerprint.Hex}): pass --replace to pin them to it (the change is logged)");
        }

        if (existing is null && options.Replace)
        {
            throw new UserFacingException($"{email} is not a member of {list.Name} (add them without --replace)");
        }

        var assessment = KeyAssessor.Assess(certificate, now, checkKeyMaterial: true);
        if (KeyAcceptance.Judge(assessment, email, options.AllowUserIdMismatch) is { } refusal)
        {
            throw KeyRefusals.Of(refusal.Problem, refusal.Message);
        }

        var outcome = existing is null ? KeyImportOutcome.Added : KeyImportOutcome.Replaced;
        var encoded = certificate.GetEncoded();
        var summary = KeySummary.Of(assessment, encoded);
        var member = existing is null
            ? new Member(0, list.Id, email, fingerprint, encoded, assessment.Expires, options.IsAdmin, now) { IsNoteTaker = options.IsNoteTaker, KeySummary = summary }
            : existing with
            {
                Fingerprint = fingerprint, PublicKey = encoded, KeyExpiresAt = assessment.Expires, KeySummary = summary,
                IsAdmin = existing.IsAdmin || options.IsAdmin, IsNoteTaker = existing.IsNoteTaker || options.IsNoteTaker,
            };
        if (verified is not null)
        {
            member = member with { VerifiedFingerprint = verified, VerifiedAt = now, VerifiedBy = options.Actor };
        }

        if (store)
        {
            var detail = $"from {found.Origin}{(verified is null ? "" : "; fingerprint confirmed with --fingerprint")}";
            if (existing is null)
            {
                member = (await members.InsertManyAsync([member],
                    [new AuditEntry(list.Id, now, options.Actor, AuditActions.MemberAdded, email, null, fingerprint.Hex, detail)], cancellationToken))[0];
            }
            else
            {
                var audit = new AuditEntry(list.Id, now, options.Actor, AuditActions.KeyReplaced, existing.Email, existing.Fingerprint.Hex, fingerprint.Hex, detail);
                if (!await members.UpdateKeyAsync(existing.Id, existing.PublicKey, fingerprint, member.PublicKey, member.KeyExpiresAt, audit, summary, cancellationToken))
                {
                    throw new UserFacingException($"the key of {existing.Email} changed while importing this one: run the command again");
                }

                await ApplyFlagsAsync(list, existing, member, options, now, cancellationToken);
            }
        }

        return new KeyImport(member, assessment, outcome, [], existing?.Fingerprint, found);
    }

    private async Task<KeyImport> MergeAsync(MailingList list, Member existing, PgpPublicKeyRing copy, FoundCertificate found, MemberOptions options,
        bool store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = new PgpPublicKeyRing(existing.PublicKey);
        var merged = KeyMerge.Merge(stored, copy);
        var before = KeyAssessor.Assess(stored, now);
        var after = KeyAssessor.Assess(merged.Certificate, now, checkKeyMaterial: KeyAcceptance.HasNewKeyMaterial(stored, merged.Certificate));
        var changes = merged.Changed ? KeyChanges.Between(before, after) : [];
        if (merged.Changed && changes.Count == 0)
        {
            changes = ["new self-signatures merged (no change to how mail is encrypted)"];
        }

        var mergedBytes = merged.Certificate.GetEncoded();
        var member = existing with
        {
            PublicKey = mergedBytes, KeyExpiresAt = after.Expires, KeySummary = KeySummary.Of(after, mergedBytes),
            IsAdmin = existing.IsAdmin || options.IsAdmin, IsNoteTaker = existing.IsNoteTaker || options.IsNoteTaker,
        };
        if (store)
        {
            var audit = new AuditEntry(list.Id, now, options.Actor, AuditActions.KeyMerged, existing.Email, existing.Fingerprint.Hex, existing.Fingerprint.Hex,
                $"from {found.Origin}: {string.Join("; ", changes)}");
            if (merged.Changed && !await members.UpdateKeyAsync(existing.Id, existing.PublicKey, existing.Fingerprint, member.PublicKey, member.KeyExpiresAt, audit,
                member.KeySummary, cancellationToken))
            {
                throw new UserFacingException($"the key of {existing.Email} changed while importing this one: run the command again");
            }

            await ApplyFlagsAsync(list, existing, member, options, now, cancellationToken);
        }

        if (options.ExpectedFingerprint is not null)
        {
            member = member with { VerifiedFingerprint = existing.Fingerprint, VerifiedAt = existing.IsVerified ? existing.VerifiedAt : now, VerifiedBy = existing.IsVerified ? existing.VerifiedBy : options.Actor };
        }

        return new KeyImport(member, after, merged.Changed ? KeyImportOutcome.Merged : KeyImportOutcome.Unchanged, changes, existing.Fingerprint, found);
    }

    /// <summary>
    /// A revocation certificate the member sent (their phone was seized, their key leaked): merged into their key
    /// like a newer copy, once KeyMerge has checked it is a valid revocation made by that very key.
    /// </summary>
    private async Task<KeyImport> RevokeAsync(MailingList list, Member existing, IReadOnlyList<PgpSignature> revocations, string sourceName,
        MemberOptions options, bool store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = new PgpPublicKeyRing(existing.PublicKey);
        var primary = stored.GetPublicKey();
        foreach (var revocation in revocations)
        {
            primary = PgpPublicKey.AddCertification(primary, revocation);
        }

        var copy = new PgpPublicKeyRing(PgpPublicKeyRing.InsertPublicKey(stored, primary).GetEncoded());
        if (!KeyMerge.Merge(stored, copy).Changed && KeyAssessor.Assess(stored, now).Status != KeyStatus.Revoked)
        {
            throw new UserFacingException($"{sourceName} does not revoke the key pinned for {existing.Email} ({existing.Fingerprint.Hex}): it is another key's, or not a valid revocation");
        }

        return await MergeAsync(list, existing, copy, new FoundCertificate(copy, $"{sourceName} (revocation certificate)"), options, store, now, cancellationToken);
    }

    private async Task ApplyFlagsAsync(MailingList list, Member existing, Member updated, MemberOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if ((options.IsAdmin && !existing.IsAdmin) || (options.IsNoteTaker && !existing.IsNoteTaker))
        {
            await members.SetFlagsAsync(list.Id, existing.Email, isAdmin: options.IsAdmin ? true : null, wantsDigest: null,
                isNoteTaker: options.IsNoteTaker ? true : null, cancellationToken);
        }

        if (options.ExpectedFingerprint is not null && !(existing.IsVerified && existing.Fingerprint == updated.Fingerprint))
        {
            await members.SetVerifiedAsync(existing.Id, updated.Fingerprint, now, options.Actor,
                new AuditEntry(list.Id, now, options.Actor, AuditActions.MemberVerified, existing.Email, null, updated.Fingerprint.Hex, "fingerprint confirmed with --fingerprint"),
                cancellationToken);
        }
    }

    public async Task<bool> ExistsAsync(string listName, string email, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        return await members.FindAsync(list.Id, email, cancellationToken) is not null;
    }

    public async Task SetFlagsAsync(string listName, string email, bool? isAdmin, bool? wantsDigest, bool? isNoteTaker = null,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (!await members.SetFlagsAsync(list.Id, email, isAdmin, wantsDigest, isNoteTaker, cancellationToken))
        {
            throw new UserFacingException($"{email} is not a member of {list.Name}");
        }
    }

    /// <inheritdoc cref="ListAsync(MailingList, CancellationToken)"/>
    /// <exception cref="UserFacingException">No such list.</exception>
    public async Task<IReadOnlyList<MemberView>> ListAsync(string listName, CancellationToken cancellationToken = default) =>
        await ListAsync(await lists.GetAsync(listName, cancellationToken), cancellationToken);

    /// <summary>
    /// The members, sorted by address, with their keys as judged now, from the judgements stored when the keys changed:
    /// neither a certificate is read nor a signature verified for them (<see cref="MemberStore.ListEntriesAsync"/>).
    /// Keys without a stored judgement (never judged, or judged by a version that did not bind judgements to their key)
    /// are judged here from their certificates, read for them alone, on every core, and their judgements stored, once.
    /// </summary>
    public async Task<IReadOnlyList<MemberView>> ListAsync(MailingList list, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var entries = await members.ListEntriesAsync(list.Id, cancellationToken);
        var unjudged = entries.Where(e => e.KeySummary is null).Select(e => e.Id).ToList();
        var fresh = new Dictionary<long, KeySummary>();
        if (unjudged.Count > 0)
        {
            var judged = (await members.GetManyAsync(unjudged, cancellationToken)).AsParallel()
                .Select(m => (m.Id, m.PublicKey, MemberKeys.SummaryOf(m, now))).ToList();
            try
            {
                await members.SaveKeySummariesAsync(judged, cancellationToken);
            }
            catch (System.Data.Common.DbException)
            {
                // Storing them only saves the next listing this work: a listing still answers on a full disk or a
                // read-only copy of the database.
            }

            fresh = judged.ToDictionary(j => j.Id, j => j.Item3);
        }

        // A member removed since the listing was read has no judgement here: left out, as a listing a moment later would.
        return entries.Where(e => e.KeySummary is not null || fresh.ContainsKey(e.Id))
            .Select(e => new MemberView(e, (e.KeySummary ?? fresh[e.Id]).At(now))).ToList();
    }

    public async Task RemoveAsync(string listName, string email, string actor = "unknown", CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var member = await members.FindAsync(list.Id, email, cancellationToken);
        var audit = new AuditEntry(list.Id, time.GetUtcNow(), actor, AuditActions.MemberRemoved, member?.Email ?? email, member?.Fingerprint.Hex, null);
        if (member is null || !await members.RemoveAsync(list.Id, email, audit, cancellationToken))
        {
            throw new UserFacingException($"{email} is not a member of {list.Name}");
        }
    }

    /// <summary>
    /// A file may hold several keys (a keyring export, a mail with a key attached and another in its text):
    /// take the one with the confirmed fingerprint, else the member's pinned key, else the one for this address.
    /// </summary>
    private static FoundCertificate ChooseCertificate(IReadOnlyList<FoundCertificate> found, string email, string sourceName,
        Fingerprint? pinned, Fingerprint? expected, DateTimeOffset now)
    {
        Fingerprint Of(FoundCertificate f) => Fingerprint.Of(f.Certificate.GetPublicKey());
        if (expected is { } wanted)
        {
            return found.FirstOrDefault(f => Of(f) == wanted)
                ?? throw new UserFacingException($"no key in {sourceName} has the fingerprint {wanted.Grouped} (it holds {string.Join(", ", found.Select(f => Of(f).Hex))}): nothing changed");
        }

        if (found.Count == 1)
        {
            return found[0];
        }

        if (pinned is { } current && found.FirstOrDefault(f => Of(f) == current) is { } same)
        {
            return same;
        }

        var matching = found.Where(f => KeyAssessor.Assess(f.Certificate, now).HasUserIdFor(email)).ToList();
        return matching.Count == 1
            ? matching[0]
            : throw KeyRefusals.Of(new KeyProblem(KeyProblemCode.SeveralKeys), $"{sourceName} holds {found.Count} keys and {(matching.Count == 0 ? "none" : matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} of them is for {email}: give a file with just this member's key");
    }
}
