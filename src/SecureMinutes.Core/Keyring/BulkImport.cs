using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Keyring;

/// <param name="AllowOutsidePaths">CSV: key files may be outside the CSV's folder (<see cref="CsvKeyMapping"/>).</param>
public sealed record BulkImportOptions(string Actor, bool AllowUserIdMismatch = false, bool DryRun = false, bool AllowOutsidePaths = false);

/// <summary>
/// Imports a whole assembly at once (<c>member import</c>): one member per key of a keyring file (the address
/// of each key's primary user id), or per line of a CSV <c>email,keyfile[,fingerprint]</c>. Every key passes
/// the same checks as <c>member add</c>; keys are judged in parallel on every core (RSA key validation costs
/// ~70 ms per RSA-3072 key), the new members are stored in one transaction, and each key gets a line:
/// added, updated (a newer copy of a member's own key), unchanged, or refused with the reason.
/// </summary>
public sealed class BulkImport(ListStore lists, MemberStore members, SubmissionStore submissions, Redistribution redistribution, TimeProvider time)
{
    public async Task<BulkImportResult> ImportKeyringAsync(string listName, byte[] data, string sourceName, BulkImportOptions options,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var list = await lists.GetAsync(listName, cancellationToken);
        var found = KeyFileReader.Read(data, sourceName); // a secret key anywhere in the file refuses all of it
        var now = time.GetUtcNow();
        var existing = await members.ListAsync(list.Id, cancellationToken);
        var candidates = Judge(found.Select(f => (Email: (string?)null, Found: f, Expected: (Fingerprint?)null)), existing, now);
        var rows = await ResolveAsync(list, existing, candidates, options, now, cancellationToken);
        return new BulkImportResult(list.Name, rows, clock.Elapsed, options.DryRun);
    }

    public async Task<BulkImportResult> ImportCsvAsync(string listName, string csvPath, BulkImportOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var list = await lists.GetAsync(listName, cancellationToken);
        var now = time.GetUtcNow();
        var lines = CsvKeyMapping.Read(csvPath, options.AllowOutsidePaths);
        var rows = new List<ImportRow>();
        var readable = new List<(string? Email, FoundCertificate Found, Fingerprint? Expected)>();
        foreach (var line in lines)
        {
            if (line.Problem is not null)
            {
                rows.Add(new ImportRow(ImportRow.Refused, line.Email, null, line.Problem, line.Origin));
                continue;
            }

            try
            {
                byte[] data;
                try
                {
                    data = KeyFileReader.ReadBytes(line.KeyFile!);
                }
                catch (UserFacingException ex)
                {
                    throw new UserFacingException($"the key file cannot be read: {ex.Message}");
                }

                var found = KeyFileReader.Read(data, Path.GetFileName(line.KeyFile!));
                var chosen = line.Fingerprint is { } wanted
                    ? found.FirstOrDefault(f => Fingerprint.Of(f.Certificate.GetPublicKey()) == wanted)
                        ?? throw new UserFacingException($"no key in {Path.GetFileName(line.KeyFile)} has the fingerprint {wanted.Hex}")
                    : found.Count == 1 ? found[0]
                    : found.SingleOrDefault(f => KeyAssessor.Assess(f.Certificate, now).HasUserIdFor(line.Email!))
                        ?? throw new UserFacingException($"{Path.GetFileName(line.KeyFile)} holds {found.Count} keys: give a file with just this member's key");
                readable.Add((line.Email, chosen with { Origin = line.Origin }, line.Fingerprint));
            }
            catch (UserFacingException ex)
            {
                rows.Add(new ImportRow(ImportRow.Refused, line.Email, null, ex.Message, line.Origin));
            }
        }

        var existing = await members.ListAsync(list.Id, cancellationToken);
        rows.AddRange(await ResolveAsync(list, existing, Judge(readable, existing, now), options, now, cancellationToken));
        return new BulkImportResult(list.Name, rows, clock.Elapsed, options.DryRun);
    }

    /// <param name="Key">The key as judged now; null when it is byte-identical to <paramref name="Stored"/>'s, whose stored judgement stands.</param>
    private sealed record Candidate(string? Email, FoundCertificate Found, PgpPublicKeyRing Certificate, KeyAssessment? Key, Fingerprint? Expected,
        Member? Stored = null, KeyState? StoredState = null)
    {
        public Fingerprint Fingerprint => Key?.Fingerprint ?? Stored!.Fingerprint;

        public KeyStatus Status => Key?.Status ?? StoredState!.Status;

        public string? Problem => Key is null ? StoredState!.Problem : Key.Problem;
    }

    /// <summary>
    /// Judges every distinct key once, spread over the cores, keeping the input order: a key repeated in the file (or
    /// in several CSV lines) is judged once, and a key byte for byte the one its member already has is not judged
    /// again (its stored judgement stands), so re-importing a whole assembly costs next to nothing.
    /// </summary>
    private static List<Candidate> Judge(IEnumerable<(string? Email, FoundCertificate Found, Fingerprint? Expected)> items, IReadOnlyList<Member> existing,
        DateTimeOffset now)
    {
        var stored = existing.GroupBy(m => Hash(m.PublicKey), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var judged = new ConcurrentDictionary<string, Lazy<KeyAssessment>>(StringComparer.Ordinal);
        return items.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(item =>
            {
                var certificate = SelfSignatures.Only(item.Found.Certificate);
                var hash = Hash(certificate.GetEncoded());
                if (stored.TryGetValue(hash, out var same) && (item.Email is null || MemberStore.EmailKey(item.Email) == MemberStore.EmailKey(same.Email)))
                {
                    // The very key this member already has: nothing to judge, and nothing will change.
                    return new Candidate(same.Email, item.Found, certificate, null, item.Expected, same, MemberKeys.StateOf(same, now));
                }

                var key = judged.GetOrAdd(hash, _ => new Lazy<KeyAssessment>(() => KeyAssessor.Assess(certificate, now, checkKeyMaterial: true))).Value;
                var userId = key.PrimaryUserId ?? (key.UserIds.Count > 0 ? key.UserIds[0] : null);
                var email = item.Email ?? (userId is null ? null : UserIdAddress.Of(userId));
                return new Candidate(email, item.Found, certificate, key, item.Expected);
            })
            .ToList();
    }

    private static string Hash(byte[] certificate) => Convert.ToHexString(SHA256.HashData(certificate));

    private async Task<List<ImportRow>> ResolveAsync(MailingList list, IReadOnlyList<Member> stored, List<Candidate> candidates, BulkImportOptions options,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = stored.ToDictionary(m => MemberStore.EmailKey(m.Email));
        var rows = new List<ImportRow>();
        var added = new List<Member>();
        var audit = new List<AuditEntry>();
        var caughtUp = new List<long>();
        foreach (var group in candidates.GroupBy(c => c.Email is null ? null : MemberStore.EmailKey(c.Email)))
        {
            if (group.Key is null)
            {
                rows.AddRange(group.Select(c => Refuse(c, c.Problem ?? "no user id with an e-mail address: add this key with member add EMAIL --key")));
                continue;
            }

            var chosen = ChooseForAddress(group.ToList(), rows);
            if (chosen is null)
            {
                continue;
            }

            if (existing.TryGetValue(group.Key, out var member))
            {
                rows.Add(await UpdateAsync(list, member, chosen, options, now, caughtUp, cancellationToken));
                continue;
            }

            if (chosen.Key is null)
            {
                // Not expected: a key identical to a member's is found under that member's address above.
                rows.Add(new ImportRow("unchanged", chosen.Email, chosen.Fingerprint, "already a member with this key", chosen.Found.Origin));
                continue;
            }

            if (KeyAcceptance.Refusal(chosen.Key, chosen.Email!, options.AllowUserIdMismatch) is { } refusal)
            {
                rows.Add(Refuse(chosen, refusal));
                continue;
            }

            var encoded = chosen.Certificate.GetEncoded();
            var newMember = new Member(0, list.Id, chosen.Email!, chosen.Fingerprint, encoded, chosen.Key.Expires, false, now)
            {
                KeySummary = KeySummary.Of(chosen.Key, encoded),
            };
            added.Add(chosen.Expected is null ? newMember : newMember with { VerifiedFingerprint = chosen.Fingerprint, VerifiedAt = now, VerifiedBy = options.Actor });
            audit.Add(new AuditEntry(list.Id, now, options.Actor, AuditActions.MemberAdded, chosen.Email, null, chosen.Fingerprint.Hex,
                $"bulk import from {chosen.Found.Origin}{(chosen.Expected is null ? "" : "; fingerprint confirmed in the CSV")}"));
            rows.Add(new ImportRow("added", chosen.Email, chosen.Fingerprint, Describe(chosen.Key) + (chosen.Expected is null ? "" : ", verified"), chosen.Found.Origin));
        }

        if (!options.DryRun && added.Count > 0)
        {
            caughtUp.AddRange((await members.InsertManyAsync(added, audit, cancellationToken)).Select(m => m.Id));
        }

        // Members who joined after minutes went out (or whose key works again) receive the latest ones.
        if (!options.DryRun && caughtUp.Count > 0 && (await submissions.LatestAsync(list.Id, SubmissionKind.Minutes, 1, cancellationToken)).Count > 0)
        {
            foreach (var id in caughtUp)
            {
                redistribution.Queue(id);
            }
        }

        return rows;
    }

    /// <summary>Several keys for one address: the one usable key, or none (the admin picks with member add).</summary>
    private static Candidate? ChooseForAddress(List<Candidate> group, List<ImportRow> rows)
    {
        if (group.Count == 1)
        {
            return group[0];
        }

        var usable = group.Where(c => c.Status.CanReceive()).ToList();
        if (usable.Count == 1)
        {
            rows.AddRange(group.Where(c => c != usable[0]).Select(c => Refuse(c, $"{c.Problem ?? "not usable"}; the usable key {usable[0].Fingerprint.Hex} for this address is imported instead")));
            return usable[0];
        }

        rows.AddRange(group.Select(c => Refuse(c, $"{group.Count} keys for this address in the file: add the right one with member add {c.Email} --key FILE")));
        return null;
    }

    private async Task<ImportRow> UpdateAsync(MailingList list, Member member, Candidate chosen, BulkImportOptions options, DateTimeOffset now,
        List<long> caughtUp, CancellationToken cancellationToken)
    {
        if (member.Fingerprint != chosen.Fingerprint)
        {
            return Refuse(chosen, $"already a member with another key ({member.Fingerprint.Hex}): to pin them to this one, use member add {member.Email} --key FILE --replace (logged)");
        }

        if (chosen.Key is null)
        {
            return new ImportRow("unchanged", member.Email, member.Fingerprint, "already a member with this key", chosen.Found.Origin);
        }

        var stored = new PgpPublicKeyRing(member.PublicKey);
        var merged = KeyMerge.Merge(stored, chosen.Certificate);
        if (!merged.Changed)
        {
            return new ImportRow("unchanged", member.Email, member.Fingerprint, "already a member with this key", chosen.Found.Origin);
        }

        var before = KeyAssessor.Assess(stored, now);
        var after = KeyAssessor.Assess(merged.Certificate, now);
        var changes = KeyChanges.Between(before, after);
        var detail = changes.Count == 0 ? "new self-signatures merged" : string.Join("; ", changes);
        if (!options.DryRun)
        {
            var entry = new AuditEntry(list.Id, now, options.Actor, AuditActions.KeyMerged, member.Email, member.Fingerprint.Hex, member.Fingerprint.Hex,
                $"bulk import from {chosen.Found.Origin}: {detail}");
            var mergedBytes = merged.Certificate.GetEncoded();
            if (!await members.UpdateKeyAsync(member.Id, member.PublicKey, member.Fingerprint, mergedBytes, after.Expires, entry,
                KeySummary.Of(after, mergedBytes), cancellationToken))
            {
                return Refuse(chosen, "the member's key changed during the import: run it again");
            }

            if (!before.Status.CanReceive() && after.Status.CanReceive())
            {
                caughtUp.Add(member.Id);
            }
        }

        return new ImportRow("updated", member.Email, member.Fingerprint, detail, chosen.Found.Origin);
    }

    private static ImportRow Refuse(Candidate candidate, string reason)
    {
        // The row already shows the fingerprint; "key FPR refused: " would only repeat it.
        var prefix = $"key {candidate.Fingerprint.Hex} refused: ";
        return new(ImportRow.Refused, candidate.Email, candidate.Fingerprint, reason.StartsWith(prefix, StringComparison.Ordinal) ? reason[prefix.Length..] : reason, candidate.Found.Origin);
    }

    private static string Describe(KeyAssessment key) =>
        $"{key.Status.ToText()}, {(key.Expires is { } e ? "expires " + e.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "no expiry")}";
}
