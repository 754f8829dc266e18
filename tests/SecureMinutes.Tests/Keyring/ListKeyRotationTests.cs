using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keyring;

/// <summary>A list's own key: rotated (certified and announced by the previous one), exported with its history, revoked.</summary>
public sealed class ListKeyRotationTests : IAsyncLifetime, IDisposable
{
    private const string ListName = "ag";
    private readonly TestServices _services = new();
    private MailingList _list = null!;

    private ListKeyRotation Rotation => _services.Get<ListKeyRotation>();

    public async Task InitializeAsync()
    {
        _list = await _services.Get<ListService>().CreateAsync(ListName, "ag@lists.example.test", "AG du collectif");
        await _services.Get<Membership>().AddAsync(ListName, "rsa3072@example.org", TestKeys.FixtureBytes("rsa3072"), "k", new MemberOptions());
        await _services.Get<Membership>().AddAsync(ListName, "ed25519@example.org", TestKeys.FixtureBytes("ed25519"), "k", new MemberOptions());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Rotate_CertifiesTheNewKeyWithThePreviousOne_AsGnuPGSeesIt_AndAnnouncesItSignedByThePreviousKey()
    {
        var result = await Rotation.RotateAsync(ListName, "camille", default);

        Assert.NotEqual(_list.KeyFingerprint, result.List.KeyFingerprint);
        Assert.True(result.CertifiedByPrevious);
        using var gpg = new GnuPG();
        gpg.Run(_list.PublicKey, "--import");
        gpg.Run(result.List.PublicKey, "--import");
        var sigs = gpg.Run([], "--with-colons", "--check-sigs", result.List.KeyFingerprint.Hex).Output;
        // A good (!) generic certification (10x) by the previous key on the new key's user id.
        Assert.Contains(sigs.Split('\n'), l => l.StartsWith("sig:!:", StringComparison.Ordinal) && l.Contains(_list.KeyFingerprint.Hex[^16..], StringComparison.Ordinal) && l.Contains(":10x:", StringComparison.Ordinal));

        var announcement = result.Announcement;
        Assert.Equal(SubmissionKind.Announcement, announcement.Submission.Kind);
        Assert.Equal(_list.KeyFingerprint, announcement.Submission.SigningFingerprint);
        Assert.Equal(2, announcement.Deliveries.Count(d => d.State == DeliveryState.Queued));
        var payload = await _services.Get<DistributionService>().OpenPayloadAsync(announcement.Submission.Id);
        var text = ((MimeKit.TextPart)payload.BodyParts[0]).Text;
        Assert.Contains(result.List.KeyFingerprint.Grouped, text, StringComparison.Ordinal);
        Assert.Contains("signé par l'ancienne clé", text, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimeKit.MimePart>(payload.BodyParts[1]);
        Assert.Equal("application/pgp-keys", attachment.ContentType.MimeType);
        Assert.Equal($"OpenPGP_0x{result.List.KeyFingerprint.Hex[^16..]}.asc", attachment.FileName);

        var signing = await _services.Get<ListService>().OpenSigningKeyAsync(result.List, announcement.Submission.SigningFingerprint);
        Assert.Equal(_list.KeyFingerprint, Fingerprint.Of(signing.GetPublicKey()));
    }

    [Fact]
    public async Task Export_WithAll_GivesTheCurrentAndPreviousKeys_SoOldMailStaysVerifiable()
    {
        var rotated = await Rotation.RotateAsync(ListName, "camille", default);

        var exported = KeyFileReader.Read(Encoding.ASCII.GetBytes(await Rotation.ExportAsync(ListName, includeRetired: true, default)), "export");
        var current = KeyFileReader.Read(Encoding.ASCII.GetBytes(await Rotation.ExportAsync(ListName, includeRetired: false, default)), "export");

        Assert.Equal([rotated.List.KeyFingerprint, _list.KeyFingerprint], exported.Select(f => Fingerprint.Of(f.Certificate.GetPublicKey())));
        Assert.Equal(rotated.List.KeyFingerprint, Fingerprint.Of(Assert.Single(current).Certificate.GetPublicKey()));
    }

    [Fact]
    public async Task Revoke_PublishesARevokedKey_PausesTheList_AndRefusesNewMinutesUntilRotated()
    {
        var revoked = await Rotation.RevokeAsync(ListName, RevocationReasonTag.KeyCompromised, "server seized", "camille", upload: false, default);

        var published = Assert.Single(KeyFileReader.Read(Encoding.ASCII.GetBytes(revoked.ArmoredRevokedKey), "revoked.asc"));
        Assert.Equal(KeyStatus.Revoked, KeyAssessor.Assess(published.Certificate, DateTimeOffset.UtcNow).Status);
        using (var gpg = new GnuPG())
        {
            gpg.Run(Encoding.ASCII.GetBytes(revoked.ArmoredRevokedKey), "--import");
            Assert.Contains(gpg.Run([], "--with-colons", "--list-keys", _list.KeyFingerprint.Hex).Output.Split('\n'), l => l.StartsWith("pub:r:", StringComparison.Ordinal));
        }

        var list = await _services.Get<ListStore>().GetAsync(ListName);
        Assert.True(list.IsPaused);
        Assert.NotNull(list.KeyRevokedAt);
        await _services.Get<SecureMinutes.Mail.ProviderSetup>().SetOutboxAsync(ListName, Path.Combine(_services.DataDirectory, "outbox"));
        var refused = await Assert.ThrowsAsync<UserFacingException>(() =>
            _services.Get<DistributionService>().SubmitAsync(ListName, new MinutesDocument("CR", "texte")));
        Assert.Contains("list key rotate", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UserFacingException>(() => Rotation.RevokeAsync(ListName, RevocationReasonTag.KeyCompromised, "again", "camille", false, default));

        var rotated = await Rotation.RotateAsync(ListName, "camille", default);

        Assert.True(rotated.PreviousWasRevoked);
        Assert.False(rotated.CertifiedByPrevious);
        Assert.Null(rotated.Announcement.Submission.SigningFingerprint);
        Assert.Equal(3, (await _services.Get<DistributionService>().OpenPayloadAsync(rotated.Announcement.Submission.Id)).BodyParts.Count);
        Assert.True(rotated.Resumed);
        Assert.False((await _services.Get<ListStore>().GetAsync(ListName)).IsPaused);
        var audit = await _services.Get<AuditStore>().ListAsync(list.Id);
        Assert.Equal([AuditActions.ListKeyRevoked, AuditActions.ListKeyRotated], audit.Where(e => e.Action.StartsWith("list-key", StringComparison.Ordinal)).Select(e => e.Action));
    }

    [Fact]
    public async Task TheListKeysJudgement_IsStoredWithTheList_AndNeverDescribesAKeyRevokedOrRotatedSince()
    {
        var lists = _services.Get<ListService>();
        var stored = _list.KeySummary;
        Assert.NotNull(stored);
        Assert.True(stored.IsFor(_list.PublicKey));
        Assert.Equal(KeyStatus.Usable, (await lists.KeyStateAsync(_list)).Status);

        await Rotation.RevokeAsync(ListName, RevocationReasonTag.KeyCompromised, "server seized", "camille", upload: false, default);
        var revoked = await lists.GetAsync(ListName);
        Assert.Null(revoked.KeySummary);
        Assert.Equal(KeyStatus.Revoked, (await lists.KeyStateAsync(revoked)).Status);
        // A judgement made for the key before its revocation is never used for the revoked key, even handed over with it.
        Assert.Equal(KeyStatus.Revoked, (await lists.KeyStateAsync(revoked with { KeySummary = stored })).Status);

        var rotated = (await Rotation.RotateAsync(ListName, "camille", default)).List;
        Assert.Null((await lists.GetAsync(ListName)).KeySummary);
        Assert.Equal(KeyStatus.Usable, (await lists.KeyStateAsync(rotated)).Status);
        Assert.True((await lists.GetAsync(ListName)).KeySummary!.IsFor(rotated.PublicKey));
    }
}
