using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using SecureMinutes.Distribution;
using SecureMinutes.Keys;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.SelfService;

/// <summary>
/// Every copy to a member ends, inside the encryption and the list's signature, with that member's own personal link
/// (the real send loop on SQLite, the provider scripted, each copy decrypted with the member's secret key).
/// </summary>
public sealed partial class MemberFooterSpecs : IAsyncLifetime
{
    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await DeliveryScenario.CreateAsync(publicUrl: "https://minutes.example.test");

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task EachCopy_EndsWithItsMembersOwnLink_InsideTheListsSignature_AndTheLinkOpensThatMember()
    {
        var submission = await _scenario.SubmitAndPlanAsync();

        Assert.IsType<BatchNext.Done>(await _scenario.Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));

        var links = new HashSet<string>();
        foreach (var (recipient, message) in _scenario.Provider.Accepted)
        {
            var (inner, signatureValid) = Open(message);
            Assert.True(signatureValid, recipient);
            var footer = Assert.IsType<TextPart>(inner[^1]);
            Assert.Equal("Décisions de l'AG.", ((TextPart)inner[0]).Text);
            var token = LinkPattern().Match(footer.Text).Groups[1].Value;
            Assert.Equal(22, token.Length); // 128 bits, base64url
            Assert.DoesNotContain(recipient, footer.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Mettre à jour votre clé", footer.Text, StringComparison.Ordinal); // the list's language (French by default)
            links.Add(token);
            var found = await _scenario.Get<MemberLinks>().FindAsync(token);
            Assert.Equal(recipient, found?.Member.Email);
        }

        Assert.Equal(DeliveryScenario.Members.Length, links.Count);
    }

    [Fact]
    public async Task NextMinutes_CarryTheSameLinks_WithoutWritingNewOnes_UntilALinkIsUsed()
    {
        await DeliverAsync();
        var first = Tokens();
        _scenario.Provider.Accepted.Clear();
        await DeliverAsync();
        Assert.Equal(first, Tokens());

        var bob = first["bob@example.org"];
        Assert.NotNull(await _scenario.Get<MemberLinks>().UseAsync(bob));
        Assert.Null(await _scenario.Get<MemberLinks>().UseAsync(bob)); // single use: a double tap counts once
        Assert.Null(await _scenario.Get<MemberLinks>().FindAsync(bob));
        _scenario.Provider.Accepted.Clear();
        await DeliverAsync();
        var third = Tokens();
        Assert.NotEqual(bob, third["bob@example.org"]);
        Assert.Equal(first["ana@example.org"], third["ana@example.org"]);
    }

    [Fact]
    public async Task Links_Expire_AndTheNextMinutesBringANewOne_BeforeTheOldOneRunsOut()
    {
        await DeliverAsync();
        var first = Tokens();
        _scenario.Clock.Advance(MemberLinks.Lifetime - MemberLinks.MinRemaining + TimeSpan.FromDays(1));
        _scenario.Provider.Accepted.Clear();
        await DeliverAsync();
        var renewed = Tokens();
        Assert.NotEqual(first["bob@example.org"], renewed["bob@example.org"]);
        Assert.NotNull(await _scenario.Get<MemberLinks>().FindAsync(first["bob@example.org"])); // still working, for now

        _scenario.Clock.Advance(MemberLinks.MinRemaining);
        Assert.Null(await _scenario.Get<MemberLinks>().FindAsync(first["bob@example.org"]));
        Assert.Equal(3, await _scenario.Get<MemberLinks>().SweepAsync());
    }

    private async Task DeliverAsync()
    {
        var submission = await _scenario.SubmitAndPlanAsync();
        Assert.IsType<BatchNext.Done>(await _scenario.Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));
    }

    private Dictionary<string, string> Tokens() => _scenario.Provider.Accepted.ToDictionary(a => a.Recipient,
        a => LinkPattern().Match(((TextPart)Open(a.Message).Inner[^1]).Text).Groups[1].Value);

    /// <summary>Decrypts with the member's secret key (all scenario members share the ed25519 fixture) and verifies the list's signature.</summary>
    private (Multipart Inner, bool SignatureValid) Open(MimeMessage message)
    {
        using var context = new ListPgpContext(TimeProvider.System, TestKeys.FixtureSecret("ed25519"));
        context.Import(new Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKeyRing(_scenario.List.PublicKey));
        var signed = Assert.IsType<MultipartSigned>(((MultipartEncrypted)message.Body!).Decrypt(context));
        var signatures = signed.Verify(context);
        return ((Multipart)signed[0], signatures.Count == 1 && signatures[0].Verify());
    }

    [GeneratedRegex(@"https://minutes\.example\.test/member/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
