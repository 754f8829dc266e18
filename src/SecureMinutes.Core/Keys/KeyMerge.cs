using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>A stored certificate after merging another copy of it into it.</summary>
public sealed record MergedCertificate(PgpPublicKeyRing Certificate, bool Changed);

/// <summary>
/// Merges a newer copy of a member's certificate (from the member, a keyserver or WKD) into the stored one,
/// as GnuPG's import does: the union of user ids, subkeys and the key holder's valid self-signatures, so an
/// extended expiry, a new encryption subkey or a revocation is picked up and nothing stored is lost. Only
/// the same certificate is merged (same primary fingerprint); nothing in a copy can replace the key.
/// <para>
/// Written here rather than with BouncyCastle's <c>PgpPublicKeyRing.Join</c>: its loop over the primary
/// key's direct signatures stops at the first signature both copies share (a <c>break</c> that leaves the
/// outer loop), so a revocation that follows a direct-key signature is dropped — exactly how Sequoia
/// (<c>sq</c>) lays out a revoked key. Join also rewrites stored signatures' unhashed subpackets from the
/// copy; here stored signatures are never touched, and a copy only adds signatures that verify, so a
/// keyserver can neither inject junk nor push the real self-signatures out of what is examined.
/// </para>
/// </summary>
public static class KeyMerge
{
    public static MergedCertificate Merge(PgpPublicKeyRing stored, PgpPublicKeyRing copy)
    {
        var primary = stored.GetPublicKey();
        if (!primary.GetFingerprint().AsSpan().SequenceEqual(copy.GetPublicKey().GetFingerprint()))
        {
            throw new ArgumentException("Only copies of the same certificate (same primary fingerprint) are merged.", nameof(copy));
        }

        var copyPrimary = copy.GetPublicKey();
        var merged = primary;
        foreach (var signature in copyPrimary.GetKeySignatures())
        {
            if (SelfSignatures.IsDirectKeyType(signature.SignatureType) && !Holds(merged.GetKeySignatures(), signature)
                && SelfSignatures.Verify(signature, primary, SelfSignatures.Component.PrimaryKey))
            {
                merged = PgpPublicKey.AddCertification(merged, signature);
            }
        }

        foreach (var (id, raw) in UserIdAddress.UserIdsOf(copyPrimary))
        {
            // Certifications are added by their text; a user id that is not valid UTF-8 would not survive that.
            if (!System.Text.Encoding.UTF8.GetBytes(id).AsSpan().SequenceEqual(raw))
            {
                continue;
            }

            var existing = merged.GetRawUserIds().Any(r => r.AsSpan().SequenceEqual(raw)) ? merged.GetSignaturesForId(raw).ToList() : [];
            foreach (var signature in copyPrimary.GetSignaturesForId(raw))
            {
                if (SelfSignatures.IsUserIdType(signature.SignatureType) && !Holds(existing, signature)
                    && SelfSignatures.Verify(signature, primary, new SelfSignatures.Component(RawUserId: raw)))
                {
                    merged = PgpPublicKey.AddCertification(merged, id, signature);
                    existing.Add(signature);
                }
            }
        }

        foreach (var attribute in copyPrimary.GetUserAttributes())
        {
            var existing = merged.GetSignaturesForUserAttribute(attribute)?.ToList() ?? [];
            foreach (var signature in copyPrimary.GetSignaturesForUserAttribute(attribute))
            {
                if (SelfSignatures.IsUserIdType(signature.SignatureType) && !Holds(existing, signature)
                    && SelfSignatures.Verify(signature, primary, new SelfSignatures.Component(UserAttribute: attribute)))
                {
                    merged = PgpPublicKey.AddCertification(merged, attribute, signature);
                    existing.Add(signature);
                }
            }
        }

        var ring = PgpPublicKeyRing.InsertPublicKey(stored, merged);
        foreach (var copySubkey in copy.GetPublicKeys().Where(k => !k.IsMasterKey))
        {
            ring = MergeSubkey(ring, primary, copySubkey);
        }

        var result = new PgpPublicKeyRing(ring.GetEncoded());
        return new MergedCertificate(result, !result.GetEncoded().AsSpan().SequenceEqual(stored.GetEncoded()));
    }

    private static PgpPublicKeyRing MergeSubkey(PgpPublicKeyRing ring, PgpPublicKey primary, PgpPublicKey copySubkey)
    {
        var existing = ring.GetPublicKey(copySubkey.KeyId);
        if (existing is not null && !existing.GetFingerprint().AsSpan().SequenceEqual(copySubkey.GetFingerprint()))
        {
            return ring; // Another key with the same 64-bit key id: never let it stand in for the stored one.
        }

        var valid = copySubkey.GetKeySignatures()
            .Where(s => SelfSignatures.IsSubkeyType(s.SignatureType) && SelfSignatures.Verify(s, primary, new SelfSignatures.Component(Subkey: copySubkey)))
            .ToList();
        if (existing is null)
        {
            // A new subkey comes in only with a valid binding, and with its valid signatures alone.
            if (!valid.Any(s => s.SignatureType == PgpSignature.SubkeyBinding))
            {
                return ring;
            }

            var bare = copySubkey;
            foreach (var signature in copySubkey.GetKeySignatures().Where(s => !valid.Contains(s)).ToList())
            {
                bare = PgpPublicKey.RemoveCertification(bare, signature) ?? bare;
            }

            return PgpPublicKeyRing.InsertPublicKey(ring, bare);
        }

        var merged = existing;
        foreach (var signature in valid.Where(s => !Holds(existing.GetKeySignatures(), s)))
        {
            merged = PgpPublicKey.AddCertification(merged, signature);
        }

        return ReferenceEquals(merged, existing) ? ring : PgpPublicKeyRing.InsertPublicKey(ring, merged);
    }

    private static bool Holds(IEnumerable<PgpSignature> signatures, PgpSignature candidate) =>
        signatures.Any(s => PgpSignature.IsSignatureEncodingEqual(s, candidate));
}
