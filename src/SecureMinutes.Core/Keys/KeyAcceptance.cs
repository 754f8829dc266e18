namespace SecureMinutes.Keys;

/// <summary>
/// The checks a key passes before a member is pinned to it: it can receive encrypted mail now, and one of its
/// valid user ids names the member (unless the admin allows a mismatch), and none of its user ids holds a line
/// break or a NUL (such a user id exists only to forge lines wherever it is shown). Null means accepted.
/// </summary>
public static class KeyAcceptance
{
    public static string? Refusal(KeyAssessment assessment, string email, bool allowUserIdMismatch) =>
        Judge(assessment, email, allowUserIdMismatch)?.Message;

    /// <summary>
    /// <see cref="Refusal"/> with its code: the same English message, and the refusal as a <see cref="KeyProblem"/> for
    /// pages that word it in their reader's language. Null means accepted.
    /// </summary>
    public static (KeyProblem Problem, string Message)? Judge(KeyAssessment assessment, string email, bool allowUserIdMismatch)
    {
        if (!assessment.Status.CanReceive())
        {
            return (assessment.ProblemCode ?? new KeyProblem(KeyProblemCode.NoEncryptionSubkey), $"key {assessment.Fingerprint.Hex} refused: {assessment.Problem}");
        }

        if (assessment.UserIds.FirstOrDefault(id => id.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) is { } forged)
        {
            return (new KeyProblem(KeyProblemCode.ForgedUserId),
                $"key {assessment.Fingerprint.Hex} refused: its user id \"{TerminalText.Escape(forged)}\" holds a line break or NUL character, which only serves to forge lines of output; ask the member for a key without it");
        }

        if (!allowUserIdMismatch && !assessment.HasUserIdFor(email))
        {
            var ids = assessment.UserIds.Count == 0 ? "none" : TerminalText.Escape(string.Join(", ", assessment.UserIds));
            return (new KeyProblem(KeyProblemCode.NotForThisAddress, Detail: assessment.UserIds.Count == 0 ? "" : ids),
                $"key {assessment.Fingerprint.Hex} refused: {email} is not in any of its valid user ids ({ids}); check it is the right key, or pass --allow-uid-mismatch");
        }

        return null;
    }

    /// <summary>True when <paramref name="after"/> holds a (sub)key <paramref name="before"/> did not: its key material is new and gets checked.</summary>
    public static bool HasNewKeyMaterial(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing before, Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing after)
    {
        var known = before.GetPublicKeys().Select(k => Fingerprint.Of(k)).ToHashSet();
        return after.GetPublicKeys().Any(k => !known.Contains(Fingerprint.Of(k)));
    }
}
