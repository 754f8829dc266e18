using System.Text.RegularExpressions;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.SelfService;

/// <summary>
/// What a key-update mail mail-in found leads to (<see cref="KeyUpdateByMail"/>): the real services on SQLite, the mails read
/// from the sealed submissions the way the delivery path opens them.
/// </summary>
public sealed partial class KeyUpdateByMailSpecs : IAsyncLifetime
{
    private const string Bob = "bob@example.org";
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync(publicUrl: "https://minutes.example.test");

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task ASignedRequest_SendsOnlyTheNewKeysChallenge_UnderTheRecordedId_AndOneTapPinsTheNewKey()
    {
        var newKey = KeyFor(Bob);
        var id = SubmissionIds.New();

        await HandleAsync(newKey, id);

        var notice = Assert.Single(await _scenario.NoticesAsync()); // no confirmation asked of the old key: its signature was that
        Assert.Equal(id, notice.Id);
        var (subject, text) = await OpenAsync(notice);
        Assert.StartsWith("Confirmez votre nouvelle clé", subject, StringComparison.Ordinal);
        Assert.Equal(KeyUpdateRecipient.IdOf(1), Assert.Single(await _scenario.Get<DeliveryStore>().ListAsync(notice.Id)).MemberId); // to the new key

        Assert.IsType<KeyUpdateOutcome.Updated>(await _scenario.Get<KeyUpdates>().ConfirmAsync(ConfirmLink().Match(text).Groups[1].Value));

        Assert.Equal(Convert.ToHexString(newKey.GetPublicKey().GetFingerprint()), (await BobAsync()).Fingerprint.Hex);
        var audit = await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id, Bob);
        Assert.Contains(audit, a => a.Action == SelfServiceAudit.KeyUpdateRequested && a.Actor == KeyUpdateByMail.Actor);
        Assert.Contains(audit, a => a.Action == AuditActions.KeyReplaced);
    }

    [Fact]
    public async Task TheSameRequestHandledAgain_AfterACrashOrAReplay_SendsNothingMore()
    {
        var newKey = KeyFor(Bob);
        var id = SubmissionIds.New();

        await HandleAsync(newKey, id);
        await HandleAsync(newKey, id);

        Assert.Single(await _scenario.NoticesAsync());
        await using var connection = await _scenario.Get<Database>().OpenAsync();
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM key_updates"));
    }

    [Fact]
    public async Task ASignatureOlderThanTheMembersCurrentKey_IsRefused_AndTheMemberToldEncryptedToThatKey()
    {
        var bob = await BobAsync();

        await HandleAsync(KeyFor(Bob), SubmissionIds.New(), signedAt: _scenario.Clock.GetUtcNow().AddDays(-1));

        var notice = Assert.Single(await _scenario.NoticesAsync());
        var (subject, text) = await OpenAsync(notice);
        Assert.Contains("changement de clé par courriel refusé", subject, StringComparison.Ordinal);
        Assert.Contains("older than your current key's pinning", text, StringComparison.Ordinal);
        Assert.Equal(bob.Id, Assert.Single(await _scenario.Get<DeliveryStore>().ListAsync(notice.Id)).MemberId); // encrypted to the key on file
        Assert.Equal(bob.Fingerprint, (await BobAsync()).Fingerprint);
        Assert.Contains(await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id, Bob), a => a.Action == KeyUpdateByMail.Refused);
    }

    [Fact]
    public async Task AKeyForAnotherAddress_IsRefused_WithTheJudgementInTheAnswer_AndNothingChanges()
    {
        var bob = await BobAsync();

        await HandleAsync(KeyFor("chloe@example.org"), SubmissionIds.New());

        var (_, text) = await OpenAsync(Assert.Single(await _scenario.NoticesAsync()));
        Assert.Contains("Rien n'a changé", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Bob, text, StringComparison.Ordinal); // member add's reason names the address the key lacks
        Assert.Equal(bob.Fingerprint, (await BobAsync()).Fingerprint);
        Assert.Empty(await _scenario.Get<KeyUpdates>().AwaitingAdminAsync(_scenario.List.Id));
    }

    private async Task HandleAsync(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing key, string id, DateTimeOffset? signedAt = null) =>
        await _scenario.Get<KeyUpdateByMail>().HandleAsync(_scenario.List, await BobAsync(),
            new KeyUpdateMail(key.GetEncoded(), "nouvelle-cle.asc") { SignedAt = signedAt ?? _scenario.Clock.GetUtcNow() }, id, default);

    private async Task<(string Subject, string Text)> OpenAsync(Submission notice)
    {
        var payload = await _scenario.Get<DistributionService>().OpenPayloadAsync(notice.Id);
        return (payload.Subject, ((TextPart)payload.BodyParts[0]).Text);
    }

    private async Task<Member> BobAsync() => await _scenario.Get<MemberStore>().FindAsync(_scenario.List.Id, Bob) ?? throw new InvalidOperationException("no bob");

    private Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing KeyFor(string email) =>
        TestKeyBuilder.Create($"Someone <{email}>", _scenario.Clock.GetUtcNow()).WithCv25519Subkey().Build();

    [GeneratedRegex(@"https://minutes\.example\.test/member/key/([A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();
}
