using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Keys;
using SecureMinutes.Secrets;
using SecureMinutes.Storage;

namespace SecureMinutes.Lists;

/// <summary>Creates lists with their own key, and hands out the key: public to anyone, secret to senders only.</summary>
public sealed class ListService(ListStore lists, Vault vault, TimeProvider time)
{
    public async Task<MailingList> CreateAsync(string name, string address, string? displayName, CancellationToken cancellationToken = default)
    {
        name = ListNames.Validate(name);
        address = EmailAddress.Parse(address, "list address");
        var display = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim();
        if (display.Any(c => char.IsControl(c) || c is '<' or '>'))
        {
            throw new UserFacingException("the list's display name cannot contain '<', '>' or control characters");
        }

        await EnsureNameFreeAsync(name, cancellationToken);
        // The user id equals the From header, or Thunderbird and K-9 show the signer as uncertain.
        var secretKey = ListKeyGenerator.Generate($"{display} <{address}>", time.GetUtcNow());
        return await StoreAsync(name, address, display, secretKey, cancellationToken);
    }

    /// <summary>Creates a list around an existing secret key (the demo's, or one moved from another server).</summary>
    public async Task<MailingList> ImportAsync(string name, string address, string displayName, PgpSecretKeyRing secretKey, CancellationToken cancellationToken = default)
    {
        name = ListNames.Validate(name);
        address = EmailAddress.Parse(address, "list address");
        var publicRing = ListKeyGenerator.PublicRing(secretKey);
        var assessment = KeyAssessor.Assess(publicRing, time.GetUtcNow(), checkKeyMaterial: true);
        if (!assessment.HasUserIdFor(address))
        {
            throw new UserFacingException($"the list key has no user id for {address}: Thunderbird would show its signatures as uncertain");
        }

        _ = ListPgpContext.SigningKeyOf(secretKey);
        await EnsureNameFreeAsync(name, cancellationToken);
        return await StoreAsync(name, address, displayName, secretKey, cancellationToken);
    }

    public Task<MailingList> GetAsync(string name, CancellationToken cancellationToken = default) => lists.GetAsync(name, cancellationToken);

    public Task<MailingList?> FindAsync(string name, CancellationToken cancellationToken = default) => lists.FindAsync(name, cancellationToken);

    /// <summary>
    /// The list's own key as judged now: from the judgement stored with the list when it holds this very key (time
    /// applied), else judged afresh (every self-signature verified: ~0.1 s for a process's first Ed25519 verification,
    /// issue 12) and stored for the next time when the database can be written. Made when the list is created; a
    /// rotation or revocation clears it. For <c>keys check</c> and the web Members page.
    /// </summary>
    public async Task<KeyState> KeyStateAsync(MailingList list, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (list.KeySummary is { } stored && stored.IsFor(list.PublicKey))
        {
            return stored.At(now);
        }

        var summary = KeySummary.Of(KeyAssessor.Assess(new PgpPublicKeyRing(list.PublicKey), now), list.PublicKey);
        try
        {
            await lists.SaveKeySummaryAsync(list.Id, list.PublicKey, summary, cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Storing it only saves the next run this work: a command that reads still answers on a full disk or a
            // read-only copy of the database.
        }

        return summary.At(now);
    }

    /// <summary>The list's public key, armored, as members import it.</summary>
    public static string ArmoredPublicKey(MailingList list) => Armor.PublicKey(list.PublicKey);

    public async Task<PgpSecretKeyRing> OpenSecretKeyAsync(MailingList list, CancellationToken cancellationToken = default)
    {
        var sealedKey = await lists.GetSealedSecretKeyAsync(list.Id, cancellationToken);
        return new PgpSecretKeyRing(vault.Box.Open(sealedKey, SecretKeyPurpose(list.KeyFingerprint)));
    }

    /// <summary>The key a submission is signed with: the list's current key, or a retired one it names (an announcement).</summary>
    public async Task<PgpSecretKeyRing> OpenSigningKeyAsync(MailingList list, Fingerprint? fingerprint, CancellationToken cancellationToken = default)
    {
        if (fingerprint is not { } retired || retired == list.KeyFingerprint)
        {
            return await OpenSecretKeyAsync(list, cancellationToken);
        }

        var sealedKey = await lists.RetiredSealedSecretKeyAsync(list.Id, retired, cancellationToken)
            ?? throw new InvalidOperationException($"List {list.Id} has no retired key {retired.Hex}.");
        return new PgpSecretKeyRing(vault.Box.Open(sealedKey, SecretKeyPurpose(retired)));
    }

    /// <summary>Seals a list's secret key, bound to its fingerprint (a sealed key cannot be passed off as another list key).</summary>
    internal byte[] SealSecretKey(PgpSecretKeyRing secretKey) =>
        vault.Box.Seal(secretKey.GetEncoded(), SecretKeyPurpose(Fingerprint.Of(secretKey.GetPublicKey())));

    private async Task EnsureNameFreeAsync(string name, CancellationToken cancellationToken)
    {
        if (await lists.FindAsync(name, cancellationToken) is not null)
        {
            throw new UserFacingException($"a list named '{name}' already exists");
        }
    }

    private async Task<MailingList> StoreAsync(string name, string address, string display, PgpSecretKeyRing secretKey, CancellationToken cancellationToken)
    {
        var publicRing = ListKeyGenerator.PublicRing(secretKey);
        var fingerprint = Fingerprint.Of(publicRing.GetPublicKey());
        var sealedKey = vault.Box.Seal(secretKey.GetEncoded(), SecretKeyPurpose(fingerprint));
        var list = await lists.InsertAsync(name, address, display, fingerprint, publicRing.GetEncoded(), sealedKey, time.GetUtcNow(), cancellationToken);
        // Judged now, so that keys check, which only reads, finds the judgement stored (and never has to write it).
        _ = await KeyStateAsync(list, cancellationToken);
        return await lists.GetAsync(list.Id, cancellationToken);
    }

    private static string SecretKeyPurpose(Fingerprint fingerprint) => $"list-secret-key:{fingerprint.Hex}";
}
