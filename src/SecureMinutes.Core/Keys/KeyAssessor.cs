using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// Decides which keys of a certificate mail may be encrypted to, from verified self-signatures only:
/// user id certifications, subkey bindings, key flags, expiry and revocations. BouncyCastle's
/// <c>IsEncryptionKey</c> looks only at the algorithm and <c>HasRevocation</c> does not verify anything,
/// so neither is used for the decision (and some tools, Sequoia among them, happily encrypt to revoked keys).
/// </summary>
public static class KeyAssessor
{
    /// <summary>Keys whose usable life ends within this window are flagged "expiring soon".</summary>
    public static readonly TimeSpan ExpiringSoonWindow = TimeSpan.FromDays(30);

    private const int MinimumRsaBits = 2048;

    // A bound on the key holder's own signatures checked per component (each costs a signature verification).
    private const int MaxSignaturesExamined = 200;

    // Signatures a few minutes in the future come from clocks that are slightly off, not from attacks.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Judges a certificate at <paramref name="now"/>. With <paramref name="checkKeyMaterial"/> (when a key is
    /// imported) RSA moduli are also checked for small factors and compositeness (<see cref="RsaModulusCheck.Problem"/>,
    /// ~8 ms per RSA-3072 (sub)key with OpenSSL), once per key here rather than once per signature checked with it.
    /// Keys already stored passed it, so later assessments skip it.
    /// </summary>
    public static KeyAssessment Assess(PgpPublicKeyRing certificate, DateTimeOffset now, bool checkKeyMaterial = false)
    {
        var invalidRsaKeys = checkKeyMaterial ? InvalidRsaKeys(certificate) : [];
        using (RsaModulusCheck.SkipForValidatedKeys())
        {
            return AssessCore(certificate, now, invalidRsaKeys);
        }
    }

    /// <summary>Checks each RSA modulus once (<see cref="RsaModulusCheck.Problem"/>: small factors, compositeness).</summary>
    private static Dictionary<long, string> InvalidRsaKeys(PgpPublicKeyRing certificate)
    {
        var invalid = new Dictionary<long, string>();
        foreach (PgpPublicKey key in certificate.GetPublicKeys())
        {
            if (key.Algorithm is not (PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.RsaSign))
            {
                continue;
            }

            if (RsaModulusCheck.Problem(((RsaPublicBcpgKey)key.PublicKeyPacket.Key).Modulus) is { } problem)
            {
                invalid[key.KeyId] = $"invalid RSA key ({problem})";
            }
        }

        return invalid;
    }

    private static KeyAssessment AssessCore(PgpPublicKeyRing certificate, DateTimeOffset now, Dictionary<long, string> invalidRsaKeys)
    {
        var primary = certificate.GetPublicKey();
        var fingerprint = Fingerprint.Of(primary);
        var verificationTime = now + ClockSkew;

        if (primary.Version != 4)
        {
            return Refused($"version {primary.Version} keys are not supported (Thunderbird and GnuPG 2.2 read only v4 keys)",
                new(KeyProblemCode.UnsupportedVersion, Detail: primary.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Signatures are verified below without the modulus test: a primary that failed it certifies nothing.
        if (invalidRsaKeys.TryGetValue(primary.KeyId, out var invalidPrimary))
        {
            return Refused($"the primary key is an {invalidPrimary}", new(KeyProblemCode.DamagedKey));
        }

        var userIds = ValidUserIds(primary, verificationTime);
        var primaryRevocation = FindValidSignature(primary, primary, PgpSignature.KeyRevocation, verificationTime,
            sig => VerifySafely(sig, primary, s => s.VerifyCertification(primary)));
        if (primaryRevocation is not null)
        {
            return Refused(FormattableString.Invariant($"the key was revoked on {primaryRevocation.CreationTime:yyyy-MM-dd}{RevocationReason(primaryRevocation)}"),
                new(KeyProblemCode.Revoked, On: new DateTimeOffset(DateTime.SpecifyKind(primaryRevocation.CreationTime, DateTimeKind.Utc))), KeyStatus.Revoked, userIds);
        }

        if (userIds.Count == 0)
        {
            return Refused("the key has no valid (self-certified, unrevoked) user id" + SignaturePolicy.WhyNoneTrusted(SelfCertifications(primary)), new(KeyProblemCode.NoValidUserId),
                KeyStatus.Invalid, userIds);
        }

        var primarySelfSignature = userIds.OrderByDescending(u => u.IsPrimary).ThenByDescending(u => u.Certification.CreationTime).First().Certification;
        var primaryExpires = ExpiryOf(primary, primarySelfSignature);
        if (primaryExpires is { } pe && pe <= now)
        {
            return Refused(FormattableString.Invariant($"the key expired on {pe:yyyy-MM-dd}"), new(KeyProblemCode.Expired, On: pe), KeyStatus.Expired, userIds, primaryExpires);
        }

        var subkeys = new List<SubkeyAssessment>
        {
            AssessKey(primary, primarySelfSignature, revocation: null, primaryExpires, now, invalidRsaKeys),
        };
        foreach (PgpPublicKey key in certificate.GetPublicKeys())
        {
            if (key.IsMasterKey)
            {
                continue;
            }

            var binding = FindValidSignature(key, primary, PgpSignature.SubkeyBinding, verificationTime,
                sig => VerifySafely(sig, primary, s => s.VerifyCertification(primary, key)));
            var revocation = FindValidSignature(key, primary, PgpSignature.SubkeyRevocation, verificationTime,
                sig => VerifySafely(sig, primary, s => s.VerifyCertification(primary, key)));
            subkeys.Add(AssessKey(key, binding, revocation, primaryExpires, now, invalidRsaKeys));
        }

        subkeys = PreferCommunicationsSubkeys(subkeys);
        var usable = subkeys.Where(s => s.IsUsableForEncryption).ToList();
        var names = userIds.Select(u => u.Id).ToList();
        if (usable.Count == 0)
        {
            var encryptionCapable = subkeys.Where(s => s.CanEncrypt).ToList();
            if (encryptionCapable.Count == 0)
            {
                return new KeyAssessment(certificate, fingerprint, names, subkeys, KeyStatus.NoEncryptionKey,
                    "the key has no encryption-capable (sub)key (a signing-only key cannot receive encrypted mail)", primaryExpires)
                {
                    PrimaryUserId = PrimaryId(userIds), ProblemCode = new(KeyProblemCode.NoEncryptionSubkey),
                };
            }

            var (status, problem) = encryptionCapable.All(s => s.Unusable!.StartsWith("expired", StringComparison.Ordinal))
                ? (KeyStatus.Expired, "every encryption subkey has expired: " + string.Join("; ", encryptionCapable.Select(s => $"{s.KeyId} {s.Unusable}")))
                : encryptionCapable.All(s => s.Unusable!.StartsWith("revoked", StringComparison.Ordinal))
                    ? (KeyStatus.Revoked, "every encryption subkey is revoked")
                    : (KeyStatus.NoEncryptionKey, "no usable encryption subkey: " + string.Join("; ", encryptionCapable.Select(s => $"{s.KeyId} {s.Unusable}")));
            return new KeyAssessment(certificate, fingerprint, names, subkeys, status, problem, primaryExpires)
            {
                PrimaryUserId = PrimaryId(userIds), ProblemCode = UnusableSubkeysProblem(encryptionCapable),
            };
        }

        // Mail can be read as long as one usable encryption subkey lives, and never past the primary's expiry.
        DateTimeOffset? expires = usable.Any(s => s.Expires is null) ? primaryExpires : usable.Max(s => s.Expires);
        var soon = expires is { } x && x - now <= ExpiringSoonWindow;
        return new KeyAssessment(certificate, fingerprint, names, subkeys, soon ? KeyStatus.ExpiringSoon : KeyStatus.Usable, null, expires) { PrimaryUserId = PrimaryId(userIds) };

        KeyAssessment Refused(string problem, KeyProblem code, KeyStatus status = KeyStatus.Invalid, IReadOnlyList<ValidUserId>? ids = null, DateTimeOffset? expiry = null) =>
            new(certificate, fingerprint, (ids ?? []).Select(u => u.Id).ToList(), [], status, problem, expiry)
            {
                PrimaryUserId = ids is null ? null : PrimaryId(ids), ProblemCode = code,
            };

        // The user id the key holder marked primary (their latest such self-signature), else the most recently certified.
        static string? PrimaryId(IReadOnlyList<ValidUserId> ids) =>
            ids.OrderByDescending(u => u.IsPrimary).ThenByDescending(u => u.Certification.CreationTime).FirstOrDefault()?.Id;
    }

    /// <summary>
    /// The code of a certificate whose encryption subkeys are all unusable: all expired (the last expiry), all revoked,
    /// else what is wrong with the first one neither expired nor revoked (the one its holder can do something about); some
    /// revoked and the rest expired count as expired.
    /// </summary>
    private static KeyProblem UnusableSubkeysProblem(List<SubkeyAssessment> encryptionCapable)
    {
        static bool Is(SubkeyAssessment s, string word) => s.Unusable!.StartsWith(word, StringComparison.Ordinal);
        if (encryptionCapable.All(s => Is(s, "expired")))
        {
            return new KeyProblem(KeyProblemCode.Expired, On: encryptionCapable.Max(s => s.Expires));
        }

        if (encryptionCapable.All(s => Is(s, "revoked")))
        {
            return new KeyProblem(KeyProblemCode.Revoked);
        }

        if (encryptionCapable.FirstOrDefault(s => !Is(s, "expired") && !Is(s, "revoked"))?.Key is not { } key)
        {
            // Some revoked, the others expired: extending an expired one is what its holder can do.
            return new KeyProblem(KeyProblemCode.Expired, On: encryptionCapable.Where(s => Is(s, "expired")).Max(s => s.Expires));
        }

        return key.Algorithm switch
        {
            PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt when key.BitStrength < MinimumRsaBits =>
                new KeyProblem(KeyProblemCode.WeakRsa, Detail: key.BitStrength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.ECDH
                or PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral => new KeyProblem(KeyProblemCode.DamagedKey),
            _ => new KeyProblem(KeyProblemCode.UnsupportedAlgorithm, Detail: KeyAlgorithmName.Of(key)),
        };
    }

    private sealed record ValidUserId(string Id, PgpSignature Certification, bool IsPrimary);

    private static List<ValidUserId> ValidUserIds(PgpPublicKey primary, DateTimeOffset verificationTime)
    {
        var result = new List<ValidUserId>();
        foreach (var (id, raw) in UserIdAddress.UserIdsOf(primary))
        {
            PgpSignature? latest = null;
            PgpSignature? revocation = null;
            foreach (var sig in OwnSignatures(primary.GetSignaturesForId(raw) ?? [], primary))
            {
                if (sig.CreationTime > verificationTime.UtcDateTime)
                {
                    continue;
                }

                if (IsCertification(sig.SignatureType) && VerifySafely(sig, primary, s => UserIdCertification.Verify(s, raw, primary)))
                {
                    if (!IsSignatureExpired(sig, verificationTime) && (latest is null || sig.CreationTime > latest.CreationTime))
                    {
                        latest = sig;
                    }
                }
                else if (sig.SignatureType == PgpSignature.CertificationRevocation && VerifySafely(sig, primary, s => UserIdCertification.Verify(s, raw, primary)))
                {
                    revocation = sig;
                }
            }

            // A user id revoked after (or at) its latest certification is no longer claimed by the key holder.
            if (latest is not null && (revocation is null || revocation.CreationTime < latest.CreationTime))
            {
                result.Add(new ValidUserId(id, latest, latest.GetHashedSubPackets()?.IsPrimaryUserId() == true));
            }
        }

        return result;
    }

    private static SubkeyAssessment AssessKey(PgpPublicKey key, PgpSignature? binding, PgpSignature? revocation,
        DateTimeOffset? primaryExpires, DateTimeOffset now, Dictionary<long, string> invalidRsaKeys)
    {
        var keyId = key.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
        var created = new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc));
        var algorithm = KeyAlgorithmName.Of(key);
        if (binding is null)
        {
            return new SubkeyAssessment(key, keyId, algorithm, created, null, CanEncrypt: false,
                "no valid binding signature from the primary key" + SignaturePolicy.WhyNoneTrusted(key.GetSignaturesOfType(PgpSignature.SubkeyBinding)));
        }

        var flags = binding.GetHashedSubPackets()?.GetKeyFlags() ?? 0;
        var canEncrypt = flags != 0
            ? (flags & (PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage)) != 0
            : IsEncryptionAlgorithm(key.Algorithm);
        var expires = ExpiryOf(key, binding);
        if (primaryExpires is { } pe && (expires is null || expires > pe))
        {
            expires = pe;
        }

        string? unusable = null;
        if (revocation is not null)
        {
            unusable = FormattableString.Invariant($"revoked on {revocation.CreationTime:yyyy-MM-dd}{RevocationReason(revocation)}");
        }
        else if (expires is { } e && e <= now)
        {
            unusable = FormattableString.Invariant($"expired on {e:yyyy-MM-dd}");
        }
        else if (canEncrypt)
        {
            unusable = invalidRsaKeys.GetValueOrDefault(key.KeyId) ?? UnsupportedForEncryption(key);
        }

        return new SubkeyAssessment(key, keyId, algorithm, created, expires, canEncrypt, unusable) { Flags = flags };
    }

    /// <summary>
    /// RFC 9580 §5.2.3.29 separates "encrypt communications" (0x04) from "encrypt storage" (0x08). Mail is a
    /// communication: when the key holder has a usable subkey for that, a storage-only subkey is left out (it is
    /// what they encrypt their files to). A key whose only encryption subkeys are storage-only still receives
    /// mail, encrypted to them, as gpg, RNP (Thunderbird) and OpenKeychain do: refusing it would leave the member
    /// out for a flag no client they use honours.
    /// </summary>
    private static List<SubkeyAssessment> PreferCommunicationsSubkeys(List<SubkeyAssessment> subkeys)
    {
        static bool StorageOnly(SubkeyAssessment s) => s.Flags != 0
            && (s.Flags & PgpKeyFlags.CanEncryptCommunications) == 0 && (s.Flags & PgpKeyFlags.CanEncryptStorage) != 0;
        if (!subkeys.Any(s => s.IsUsableForEncryption && !StorageOnly(s)))
        {
            return subkeys;
        }

        return subkeys.Select(s => s.IsUsableForEncryption && StorageOnly(s)
            ? s with { Unusable = "for storage only (mail goes to the subkey for communications)" }
            : s).ToList();
    }

    /// <summary>Why we will not encrypt to an otherwise valid key: algorithms our readers' clients cannot all use, weak sizes.</summary>
    private static string? UnsupportedForEncryption(PgpPublicKey key)
    {
        switch (key.Algorithm)
        {
            case PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt:
                if (key.BitStrength < MinimumRsaBits)
                {
                    return $"RSA-{key.BitStrength} is too weak (at least {MinimumRsaBits} bits)";
                }

                try
                {
                    // Builds BouncyCastle's RSA parameters: the cheap checks (even, small factors) run every
                    // time; Miller-Rabin ran once in InvalidRsaKeys when the key material was to be checked.
                    _ = key.GetKey();
                    return null;
                }
                catch (ArgumentException ex)
                {
                    return $"invalid RSA key ({ex.Message.Split(Environment.NewLine)[0]})";
                }

            case PublicKeyAlgorithmTag.ECDH or PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral:
                try
                {
                    _ = key.GetKey();
                    return null;
                }
                catch (Exception ex) when (ex is PgpException or ArgumentException or InvalidOperationException)
                {
                    return "unsupported or damaged key material";
                }

            default:
                return $"{KeyAlgorithmName.Of(key)} encryption is not supported by GnuPG 2.2 and Thunderbird";
        }
    }

    private static bool IsEncryptionAlgorithm(PublicKeyAlgorithmTag algorithm) => algorithm is
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaEncrypt or PublicKeyAlgorithmTag.ECDH or
        PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral or
        PublicKeyAlgorithmTag.X25519 or PublicKeyAlgorithmTag.X448;

    private static DateTimeOffset? ExpiryOf(PgpPublicKey key, PgpSignature selfSignature)
    {
        var seconds = selfSignature.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        return seconds == 0 ? null : new DateTimeOffset(DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc)).AddSeconds(seconds);
    }

    private static PgpSignature? FindValidSignature(PgpPublicKey onKey, PgpPublicKey primary, int type, DateTimeOffset verificationTime,
        Func<PgpSignature, bool> verify)
    {
        PgpSignature? latest = null;
        foreach (var sig in OwnSignatures(onKey.GetSignaturesOfType(type), primary))
        {
            if (sig.CreationTime <= verificationTime.UtcDateTime && !IsSignatureExpired(sig, verificationTime)
                && verify(sig) && (latest is null || sig.CreationTime > latest.CreationTime))
            {
                latest = sig;
            }
        }

        return latest;
    }

    /// <summary>
    /// The key holder's own signatures among <paramref name="signatures"/>, newest first, at most
    /// <see cref="MaxSignaturesExamined"/>. Third-party certifications are passed over unverified before the
    /// cap is counted, so no flood of them (keyservers in 2019) can push a newer self-signature or a
    /// revocation out of sight, and the stored copy (which has none) is judged exactly like the file it came from.
    /// </summary>
    private static IEnumerable<PgpSignature> OwnSignatures(IEnumerable<PgpSignature> signatures, PgpPublicKey primary) =>
        signatures.Where(s => SelfSignatures.IsFromPrimary(s, primary)).OrderByDescending(s => s.CreationTime).Take(MaxSignaturesExamined);

    private static bool IsCertification(int type) => type is PgpSignature.DefaultCertification or PgpSignature.NoCertification
        or PgpSignature.CasualCertification or PgpSignature.PositiveCertification;

    private static bool IsSignatureExpired(PgpSignature sig, DateTimeOffset at)
    {
        var seconds = sig.GetHashedSubPackets()?.GetSignatureExpirationTime() ?? 0;
        return seconds != 0 && sig.CreationTime.AddSeconds(seconds) <= at.UtcDateTime;
    }

    private static bool VerifySafely(PgpSignature sig, PgpPublicKey signer, Func<PgpSignature, bool> verify)
    {
        if (SignaturePolicy.Rejection(sig) is not null)
        {
            return false;
        }

        try
        {
            sig.InitVerify(signer);
            return verify(sig);
        }
        // SecurityUtilityException: a signature naming an algorithm pair BouncyCastle cannot verify (e.g. "SHA256withElGamal").
        catch (Exception ex) when (ex is PgpException or ArgumentException or InvalidOperationException or IOException
            or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            return false;
        }
    }

    private static IEnumerable<PgpSignature> SelfCertifications(PgpPublicKey primary) =>
        primary.GetRawUserIds().SelectMany(raw => OwnSignatures(primary.GetSignaturesForId(raw) ?? [], primary)).Where(sig => IsCertification(sig.SignatureType));

    private static string RevocationReason(PgpSignature revocation)
    {
        var reason = revocation.GetHashedSubPackets()?.GetRevocationReason();
        if (reason is null)
        {
            return "";
        }

        var description = reason.GetRevocationDescription();
        var code = reason.GetRevocationReason() switch
        {
            RevocationReasonTag.KeyCompromised => "key compromised",
            RevocationReasonTag.KeySuperseded => "key superseded",
            RevocationReasonTag.KeyRetired => "key retired",
            RevocationReasonTag.UserNoLongerValid => "user id no longer valid",
            _ => "no reason given",
        };
        return string.IsNullOrWhiteSpace(description) ? $" ({code})" : $" ({code}: {description.Trim()})";
    }
}
