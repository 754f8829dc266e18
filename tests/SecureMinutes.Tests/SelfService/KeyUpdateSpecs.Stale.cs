using Dapper;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes.Tests.SelfService;

/// <summary>A key change confirmed after an admin pinned another key is refused, and the audit says so (issue 11/17).</summary>
public sealed partial class KeyUpdateSpecs
{
    [Fact]
    public async Task AStaleConfirmation_IsRefused_AndAuditLogged_NamingTheMemberByBlindIndexOnly()
    {
        var asked = KeyFor(Bob);
        var link = await LinkOfAsync(Bob);
        Assert.IsType<KeyUpdateOutcome.Challenged>(await Updates.RequestAsync(link, asked.GetEncoded(), "bob-new.asc"));
        var (challenge, _) = await MailAsync("Confirmez votre nouvelle clé");
        var (confirmation, _) = await MailAsync("Votre clé pour");
        var pinned = KeyFor(Bob);
        await _scenario.Get<Membership>().ReplaceKeyAsync("ag", Bob, pinned.GetEncoded(), "pinned-by-admin.asc", new MemberOptions(Actor: "alice (admin)"));
        var pinnedHex = Fingerprint.Of(pinned.GetPublicKey()).Hex;

        Assert.IsType<KeyUpdateOutcome.NeedsOtherConfirmation>(await Updates.ConfirmAsync(challenge));
        var refused = Assert.IsType<KeyUpdateOutcome.Refused>(await Updates.ConfirmAsync(confirmation));

        Assert.Equal(KeyProblemCode.KeyChangedSince, refused.Code?.Code);
        Assert.Equal(pinnedHex, (await BobAsync()).Fingerprint.Hex);
        var line = Assert.Single(await _scenario.Get<AuditStore>().ListAsync(_scenario.List.Id, "BOB@Example.org"), e => e.Action == SelfServiceAudit.KeyUpdateRefused);
        Assert.Equal((SelfServiceAudit.SelfActor, Bob), (line.Actor, line.MemberEmail));
        Assert.Equal((pinnedHex, Fingerprint.Of(asked.GetPublicKey()).Hex), (line.OldFingerprint, line.NewFingerprint));
        Assert.Equal($"confirmed, but asked from {OldFingerprint()}, a key the member no longer holds (another was pinned since): not applied, the key on file stays",
            line.Detail);

        await using var connection = await _scenario.Get<Database>().OpenAsync();
        var stored = (await connection.QueryAsync<(string MemberIndex, string MemberEmail, string Detail)>(
            "SELECT member_index, member_email, detail FROM key_audit WHERE action = @action", new { action = SelfServiceAudit.KeyUpdateRefused })).Single();
        Assert.Equal(_scenario.Get<SecureMinutes.Secrets.DirectorySealing>().Index(_scenario.List.Id, Bob), stored.MemberIndex);
        // The address, not "bob": the sealed values are base64, which holds "bob" (in any case) about once in 300 runs.
        Assert.DoesNotContain(Bob, stored.MemberEmail + stored.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(pinnedHex[..16], stored.Detail, StringComparison.OrdinalIgnoreCase);
    }
}
