using System.Text.RegularExpressions;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.SelfService;

/// <summary>
/// A member changes their key through their personal link, and leaves the list: the real services on SQLite, the
/// challenges read from the sealed submissions the way the delivery path opens them.
/// </summary>
public sealed partial class KeyUpdateSpecs : IAsyncLifetime
{
    private const string Bob = "bob@example.org";
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync(publicUrl: "https://minutes.example.test");

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    private KeyUpdates Updates => _scenario.Get<KeyUpdates>();

    [Fact]
    public async Task Update_WithTheOldKeyUsable_TakesTheNewKeysChallengeAndTheOldKeysConfirmation_ThenPinsTheNewKey()
    {
        var newKey = KeyFor(Bob);
        var link = await LinkOfAsync(Bob);

        var started = Assert.IsType<KeyUpdateOutcome.Challenged>(await Updates.RequestAsync(link, newKey.GetEncoded(), "bob-new.asc"));

        Assert.True(started.OldKeyAsked);
        Assert.Null(await _scenario.Get<MemberLinks>().FindAsync(link)); // the personal link was used up
        var (challenge, challengeTo) = await MailAsync("Confirmez votre nouvelle clé");
        var (confirmation, confirmationTo) = await MailAsync("Votre clé pour");
        Assert.Equal(KeyUpdateRecipient.IdOf(1), challengeTo.Id); // to the new key …
        Assert.Equal(Bob, challengeTo.Email);                     // … at the address on file
        Assert.Equal(Convert.ToHexString(newKey.GetPublicKey().GetFingerprint()), challengeTo.Fingerprint.Hex);
        Assert.True(confirmationTo.Id > 0); // to the member as they are: encrypted to the old key

        Assert.IsType<KeyUpdateOutcome.NeedsOtherConfirmation>(await Updates.ConfirmAsync(challenge));
        Assert.IsType<KeyUpdateOutcome.Invalid>(await Updates.ConfirmAsync(challenge)); // a second tap counts nothing
        Assert.Equal(OldFingerprint(), (await BobAsync()).Fingerprint.Hex);
        Assert.IsType<KeyUpdateOutcome.Updated>(await Updates.ConfirmAsync(confirmation));

        var bob = await BobAsync();
        Assert.Equal(Convert.ToHexString(newKey.GetPublicKey().GetFingerprint()), bob.Fingerprint.Hex);
        Assert.False(bob.IsVerified);
        var audit = await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id, Bob);
        Assert.Contains(audit, a => a.Action == SelfServiceAudit.KeyUpdateRequested);
        Assert.Contains(audit, a => a.Action == AuditActions.KeyReplaced && a.Actor == SelfServiceAudit.SelfActor);
    }

    [Fact]
    public async Task PersonalLinks_AreStoredOnlyHashedAndSealed()
    {
        var token = await LinkOfAsync(Bob);
        await using var connection = await _scenario.Get<Database>().OpenAsync();
        var rows = (await Dapper.SqlMapper.QueryAsync<(string Hash, byte[] Sealed)>(connection, "SELECT token_hash, sealed_token FROM member_links")).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.DoesNotContain(token, r.Hash, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Sealed.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(token)) < 0, "a link's token is stored in clear"));
    }

    [Fact]
    public async Task AKeyChangeWaitingForConfirmation_IsStoredSealed_LikeAMembersKey()
    {
        var newKey = KeyFor(Bob);
        await Updates.RequestAsync(await LinkOfAsync(Bob), newKey.GetEncoded(), "bob-new.asc");

        await using var connection = await _scenario.Get<Database>().OpenAsync();
        var (fingerprint, publicKey) = await Dapper.SqlMapper.QuerySingleAsync<(string, byte[])>(connection, "SELECT fingerprint, public_key FROM key_updates");
        var hex = Convert.ToHexString(newKey.GetPublicKey().GetFingerprint());
        Assert.DoesNotContain(hex, fingerprint, StringComparison.OrdinalIgnoreCase);
        Assert.True(SecureMinutes.Secrets.DirectorySealing.IsSealed(fingerprint));
        var encoded = newKey.GetEncoded();
        Assert.True(publicKey.AsSpan().IndexOf(encoded.AsSpan(encoded.Length / 2, 32)) < 0, "the new key's bytes are stored in clear");
        Assert.Equal(hex, (await _scenario.Get<KeyUpdateStore>().FindAsync(1))!.Fingerprint.Hex); // and opened when read
    }

    [Fact]
    public async Task ChallengeToTheNewKey_IsDeliveredToTheAddressOnFile_EncryptedToTheNewKeyAlone()
    {
        var newKey = KeyFor(Bob);
        await Updates.RequestAsync(await LinkOfAsync(Bob), newKey.GetEncoded(), "bob-new.asc");
        _scenario.Provider.Accepted.Clear();
        foreach (var notice in await _scenario.NoticesAsync())
        {
            await _scenario.Get<FanOut>().PlanBatchesAsync(notice.Id, default);
            await _scenario.Get<BatchDelivery>().DeliverAsync(notice.Id, 0, 0, default);
        }

        Assert.Equal([Bob, Bob], _scenario.Provider.Accepted.Select(a => a.Recipient));
        var encryptedTo = _scenario.Provider.Accepted.Select(a => KeyIdsOf(a.Message)).ToList();
        Assert.Contains(encryptedTo, ids => ids.SequenceEqual(newKey.GetPublicKeys().Where(k => k.IsEncryptionKey).Select(k => k.KeyId)));
    }

    [Fact]
    public async Task Update_WithTheOldKeyExpired_WaitsForAnAdmin_WhoApprovesIt()
    {
        var now = _scenario.Clock.GetUtcNow();
        await _scenario.Get<Membership>().ReplaceKeyAsync("ag", Bob, TestKeyBuilder.Create($"Bob <{Bob}>", now).Expiring(now.AddDays(1)).WithCv25519Subkey().Build().GetEncoded(),
            "expiring.asc", new MemberOptions());
        _scenario.Clock.Advance(TimeSpan.FromDays(2));
        var bob = await BobAsync();
        var link = (await _scenario.Get<MemberLinks>().ForMembersAsync([bob.Id]))[bob.Id].Link.AbsolutePath.Split('/')[^1];
        var newKey = KeyFor(Bob);

        var started = Assert.IsType<KeyUpdateOutcome.Challenged>(await Updates.RequestAsync(link, newKey.GetEncoded(), "bob-new.asc"));

        Assert.False(started.OldKeyAsked);
        var (challenge, _) = await MailAsync("Confirmez votre nouvelle clé");
        Assert.IsType<KeyUpdateOutcome.AwaitingAdmin>(await Updates.ConfirmAsync(challenge));
        Assert.Equal(bob.Fingerprint, (await BobAsync()).Fingerprint);
        var (waiting, member) = Assert.Single(await Updates.AwaitingAdminAsync(_scenario.List.Id));
        Assert.Equal(Bob, member.Email);
        Assert.Equal("ana@example.org", (await MailAsync("[ag] changement de clé à approuver")).To.Email); // the admins are told

        Assert.IsType<KeyUpdateOutcome.Updated>(await Updates.ApproveAsync(_scenario.List.Id, waiting.Id, "alice (admin)"));
        Assert.Equal(Convert.ToHexString(newKey.GetPublicKey().GetFingerprint()), (await BobAsync()).Fingerprint.Hex);
        Assert.Empty(await Updates.AwaitingAdminAsync(_scenario.List.Id));
    }

    [Fact]
    public async Task Update_RefusesAKeyForAnotherAddress_AndTheLinkStillWorks()
    {
        var link = await LinkOfAsync(Bob);

        var refused = Assert.IsType<KeyUpdateOutcome.Refused>(await Updates.RequestAsync(link, KeyFor("chloe@example.org").GetEncoded(), "chloe.asc"));

        Assert.Contains(Bob, refused.Reason, StringComparison.Ordinal);
        Assert.NotNull(await _scenario.Get<MemberLinks>().FindAsync(link));
        Assert.Equal(OldFingerprint(), (await BobAsync()).Fingerprint.Hex);
    }

    [Fact]
    public async Task Leave_DeletesTheMember_AndTheAuditKeepsOnlyTheFingerprintAndDate()
    {
        var link = await LinkOfAsync(Bob);
        var bob = await BobAsync();

        Assert.Equal("ag", (await _scenario.Get<Leaving>().LeaveAsync(link))?.Name);

        Assert.Null(await _scenario.Get<MemberStore>().FindAsync(_scenario.List.Id, Bob));
        Assert.Null(await _scenario.Get<Leaving>().LeaveAsync(link)); // one tap, once
        var audit = await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id);
        var left = Assert.Single(audit, a => a.Action == SelfServiceAudit.MemberLeft);
        Assert.Null(left.MemberEmail);
        Assert.Equal(bob.Fingerprint.Hex, left.OldFingerprint);
        Assert.DoesNotContain(audit, a => a.MemberEmail == Bob);
        Assert.DoesNotContain((await _scenario.Get<DeliveryStore>().ListAsync((await _scenario.Get<SubmissionStore>().LatestAsync(_scenario.List.Id, SubmissionKind.Minutes, 1))[0].Id)),
            d => d.Email == Bob);
    }

    private async Task<string> LinkOfAsync(string email)
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        Assert.IsType<BatchNext.Done>(await _scenario.Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));
        var member = await _scenario.Get<MemberStore>().FindAsync(_scenario.List.Id, email) ?? throw new InvalidOperationException("no such member");
        return (await _scenario.Get<MemberLinks>().ForMembersAsync([member.Id]))[member.Id].Link.AbsolutePath.Split('/')[^1];
    }

    /// <summary>The token in the newest notice whose subject starts so, and its one recipient.</summary>
    private async Task<(string Token, Member To)> MailAsync(string subject)
    {
        foreach (var notice in await _scenario.NoticesAsync())
        {
            var payload = await _scenario.Get<DistributionService>().OpenPayloadAsync(notice.Id);
            if (payload.Subject.StartsWith(subject, StringComparison.Ordinal))
            {
                var text = ((TextPart)payload.BodyParts[0]).Text;
                var copy = Assert.Single(await _scenario.Get<DeliveryStore>().ListAsync(notice.Id));
                var to = copy.MemberId > 0
                    ? (await _scenario.Get<MemberStore>().GetManyAsync([copy.MemberId])).Single()
                    : KeyUpdateRecipient.Of((await _scenario.Get<KeyUpdateStore>().GetManyAsync([KeyUpdateRecipient.UpdateIdOf(copy.MemberId)!.Value])).Single(), await BobAsync());
                return (ConfirmLink().Match(text).Groups[1].Value, to);
            }
        }

        throw new InvalidOperationException($"no notice '{subject}'");
    }

    private async Task<Member> BobAsync() => await _scenario.Get<MemberStore>().FindAsync(_scenario.List.Id, Bob) ?? throw new InvalidOperationException("no bob");

    private static string OldFingerprint() => SecureMinutes.Keys.Fingerprint.Of(TestKeys.Fixture("ed25519").GetPublicKey()).Hex;

    private Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing KeyFor(string email) =>
        TestKeyBuilder.Create($"Someone <{email}>", _scenario.Clock.GetUtcNow()).WithCv25519Subkey().Build();

    private static List<long> KeyIdsOf(MimeMessage message)
    {
        var armored = (MimePart)((MimeKit.Cryptography.MultipartEncrypted)message.Body!)[1];
        using var decoded = new MemoryStream();
        armored.Content!.DecodeTo(decoded);
        decoded.Position = 0;
        var factory = new Org.BouncyCastle.Bcpg.OpenPgp.PgpObjectFactory(Org.BouncyCastle.Bcpg.OpenPgp.PgpUtilities.GetDecoderStream(decoded));
        var list = (Org.BouncyCastle.Bcpg.OpenPgp.PgpEncryptedDataList)factory.NextPgpObject();
        return list.GetEncryptedDataObjects().Cast<Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyEncryptedData>().Select(p => p.KeyId).ToList();
    }

    [GeneratedRegex(@"https://minutes\.example\.test/member/key/([A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();
}
