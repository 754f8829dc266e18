using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

public sealed record MemberOptions(bool AllowUserIdMismatch = false, bool IsAdmin = false, bool IsNoteTaker = false);

public sealed record MemberView(Member Member, KeyAssessment Key);

/// <summary>
/// Who is on a list, each pinned to one certificate. A key is checked once, when it is imported: anything
/// that could not receive encrypted mail is refused with the reason, and nothing is stored.
/// </summary>
public sealed class Membership(ListStore lists, MemberStore members, TimeProvider time)
{
    public async Task<MemberView> AddAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        email = EmailAddress.Parse(email, "member address");
        var now = time.GetUtcNow();
        var (certificate, assessment) = CheckKey(keyData, sourceName, email, options, now);
        var member = await members.InsertAsync(list.Id, email, assessment.Fingerprint, certificate.GetEncoded(), assessment.Expires,
            options.IsAdmin, options.IsNoteTaker, now, cancellationToken);
        return new MemberView(member, assessment);
    }

    /// <summary>Pins an existing member to another key, checked exactly like a new one.</summary>
    public async Task<MemberView> ReplaceKeyAsync(string listName, string email, byte[] keyData, string sourceName, MemberOptions options,
        CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        email = EmailAddress.Parse(email, "member address");
        var existing = await members.FindAsync(list.Id, email, cancellationToken)
            ?? throw new UserFacingException($"{email} is not a member of {list.Name} (add them without --replace)");
        var now = time.GetUtcNow();
        var (certificate, assessment) = CheckKey(keyData, sourceName, email, options, now);
        await members.ReplaceKeyAsync(existing.Id, assessment.Fingerprint, certificate.GetEncoded(), assessment.Expires, cancellationToken);
        if ((options.IsAdmin && !existing.IsAdmin) || (options.IsNoteTaker && !existing.IsNoteTaker))
        {
            await members.SetFlagsAsync(list.Id, email, isAdmin: options.IsAdmin ? true : null, wantsDigest: null,
                isNoteTaker: options.IsNoteTaker ? true : null, cancellationToken);
        }

        var updated = existing with
        {
            Fingerprint = assessment.Fingerprint, PublicKey = certificate.GetEncoded(), KeyExpiresAt = assessment.Expires,
            IsAdmin = existing.IsAdmin || options.IsAdmin, IsNoteTaker = existing.IsNoteTaker || options.IsNoteTaker,
        };
        return new MemberView(updated, assessment);
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

    /// <summary>The checks every imported key passes: readable, usable for encryption now, and naming the member.</summary>
    private static (PgpPublicKeyRing Certificate, KeyAssessment Assessment) CheckKey(byte[] keyData, string sourceName, string email, MemberOptions options, DateTimeOffset now)
    {
        var certificate = ChooseCertificate(PublicKeyReader.Read(keyData, sourceName), email, sourceName, now);
        var assessment = KeyAssessor.Assess(certificate, now, checkKeyMaterial: true);
        if (!assessment.Status.CanReceive())
        {
            throw new UserFacingException($"key {assessment.Fingerprint.Hex} refused: {assessment.Problem}");
        }

        if (!options.AllowUserIdMismatch && !assessment.HasUserIdFor(email))
        {
            var ids = assessment.UserIds.Count == 0 ? "none" : string.Join(", ", assessment.UserIds);
            throw new UserFacingException($"key {assessment.Fingerprint.Hex} refused: {email} is not in any of its valid user ids ({ids}); check it is the right key, or pass --allow-uid-mismatch");
        }

        return (certificate, assessment);
    }

    public async Task<IReadOnlyList<MemberView>> ListAsync(string listName, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        var now = time.GetUtcNow();
        return (await members.ListAsync(list.Id, cancellationToken))
            .Select(m => new MemberView(m, KeyAssessor.Assess(new PgpPublicKeyRing(m.PublicKey), now)))
            .ToList();
    }

    public async Task RemoveAsync(string listName, string email, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetAsync(listName, cancellationToken);
        if (!await members.RemoveAsync(list.Id, email, cancellationToken))
        {
            throw new UserFacingException($"{email} is not a member of {list.Name}");
        }
    }

    /// <summary>A file may hold several keys (a keyring export): take the one for this address, if exactly one.</summary>
    private static PgpPublicKeyRing ChooseCertificate(IReadOnlyList<PgpPublicKeyRing> certificates, string email, string sourceName, DateTimeOffset now)
    {
        if (certificates.Count == 1)
        {
            return certificates[0];
        }

        var matching = certificates.Where(c => KeyAssessor.Assess(c, now).HasUserIdFor(email)).ToList();
        return matching.Count == 1
            ? matching[0]
            : throw new UserFacingException($"{sourceName} holds {certificates.Count} keys and {(matching.Count == 0 ? "none" : matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} of them is for {email}: give a file with just this member's key");
    }
}
