using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Minutes;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.SelfService;

/// <summary>
/// A member whose key expired is sent, instead of the minutes, one notice signed by the list and not encrypted, holding
/// nothing of the minutes and their personal link to update the key; at most one a week (the real send loop, completion
/// and notice job on SQLite, the provider scripted, the clock a <see cref="TestClock"/>).
/// </summary>
public sealed partial class KeylessNoticeSpecs : IAsyncLifetime
{
    private const string Dominique = "dominique@example.org";

    // Words of the minutes that no notice may carry.
    private const string MinutesSubject = "Budget Zanzibar 2027";
    private const string MinutesText = "La motion quetzalcoatl est adoptée à 71 voix.";

    private DeliveryScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _scenario = await DeliveryScenario.CreateAsync(publicUrl: "https://minutes.example.test");
        var now = _scenario.Clock.GetUtcNow();
        var key = TestKeyBuilder.Create($"Dominique <{Dominique}>", now).Expiring(now.AddDays(2)).WithCv25519Subkey().Build();
        await _scenario.Get<Membership>().AddAsync("ag", Dominique, key.GetEncoded(), "dominique.asc", new MemberOptions());
        _scenario.Clock.Advance(TimeSpan.FromDays(3)); // Dominique's key has expired since.
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task MemberWithAnExpiredKey_GetsASignedUnencryptedNotice_WithoutTheMinutes_AndAWorkingUpdateLink()
    {
        var submission = await DeliverMinutesAsync();

        var message = Assert.Single(ToDominique());
        Assert.Equal(DeliveryState.SkippedNoKey, (await _scenario.CopiesAsync(submission))[Dominique].State); // the minutes stay skipped

        // Signed (RFC 3156 §5) by the list's key, and not encrypted.
        var signed = Assert.IsType<MultipartSigned>(message.Body);
        Assert.DoesNotContain(message.BodyParts, p => p is MultipartEncrypted || p.ContentType.MimeType == "application/pgp-encrypted");
        Assert.Equal("application/pgp-signature", signed.ContentType.Parameters["protocol"]);
        Assert.Equal("pgp-sha512", signed.ContentType.Parameters["micalg"]);
        using (var context = new ListPgpContext(TimeProvider.System))
        {
            context.Import(new PgpPublicKeyRing(_scenario.List.PublicKey));
            var signature = Assert.Single(signed.Verify(context));
            Assert.True(signature.Verify());
            Assert.Equal(_scenario.List.KeyFingerprint.Hex, Assert.IsType<OpenPgpDigitalCertificate>(signature.SignerCertificate).Fingerprint, ignoreCase: true);
        }

        // Nothing of the minutes, anywhere in the mail as sent.
        var raw = Raw(message);
        foreach (var word in new[] { "Zanzibar", "quetzalcoatl", "71 voix", submission.MessageId, "BEGIN PGP MESSAGE" })
        {
            Assert.DoesNotContain(word, raw, StringComparison.OrdinalIgnoreCase);
        }

        // The list, the day, the reason and the link, in the list's language (French by default).
        var text = ((TextPart)signed[0]).Text;
        Assert.Contains("La liste AG <ag@lists.example.test> a envoyé un compte-rendu le " + submission.SendAt.UtcDateTime.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("a expiré le", text, StringComparison.Ordinal);
        Assert.Contains("n'est pas chiffré", text, StringComparison.Ordinal);
        Assert.Equal($"[AG] compte-rendu manqué : votre clé est à mettre à jour", message.Subject);
        var token = LinkPattern().Match(text).Groups[1].Value;
        Assert.Equal(22, token.Length);
        var opened = await _scenario.Get<MemberLinks>().FindAsync(token);
        Assert.Equal(Dominique, opened?.Member.Email); // the link opens Dominique's own page (update my key)
    }

    [Fact]
    public async Task MembersWithAUsableKey_GetTheMinutesEncrypted_AndNoNotice()
    {
        await DeliverMinutesAsync();

        var others = _scenario.Provider.Accepted.Where(a => a.Recipient != Dominique).ToList();
        Assert.Equal(DeliveryScenario.Members.Order(), others.Select(a => a.Recipient).Order());
        Assert.All(others, a => Assert.IsType<MultipartEncrypted>(a.Message.Body));
    }

    [Fact]
    public async Task ASecondSkip_WithinAWeek_SendsNothing_AndAfterEightDays_ANoticeAgain()
    {
        await DeliverMinutesAsync();
        Assert.Single(ToDominique());

        _scenario.Clock.Advance(TimeSpan.FromDays(2));
        await DeliverMinutesAsync("deux");
        Assert.Single(ToDominique());

        _scenario.Clock.Advance(TimeSpan.FromDays(6)); // eight days after the first notice
        var third = await DeliverMinutesAsync("trois");
        Assert.Equal(2, ToDominique().Count);
        Assert.Contains(third.SendAt.UtcDateTime.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture),
            ((TextPart)Assert.IsType<MultipartSigned>(ToDominique()[^1].Body)[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdmins_AreToldTheMemberWasSentTheNotice()
    {
        await DeliverMinutesAsync();

        var notices = await _scenario.NoticesAsync();
        var texts = new List<string>();
        foreach (var notice in notices)
        {
            var payload = await _scenario.Get<DistributionService>().OpenPayloadAsync(notice.Id);
            texts.Add(string.Concat(payload.BodyParts.OfType<TextPart>().Select(p => p.Text)));
        }

        var told = Assert.Single(texts, t => t.Contains(Dominique, StringComparison.Ordinal));
        Assert.Contains("1 membre(s) dont la clé ne fonctionne pas ont reçu un avis signé, non chiffré", told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoWorkers_ClaimingTheSameMemberAtOnce_ClaimOneNotice()
    {
        var member = (await _scenario.Get<MemberStore>().ListAsync(_scenario.List.Id)).Single(m => m.Email == Dominique);
        var store = _scenario.Get<KeylessNoticeStore>();
        var now = _scenario.Clock.GetUtcNow();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.TryClaimAsync(member.Id, $"submission-{i}", now, now - KeylessNotices.Interval))));

        Assert.Single(claims, claimed => claimed);
    }

    [Fact]
    public async Task ARetriedJob_SendsTheClaimedNoticeOnce()
    {
        var submission = await DeliverMinutesAsync();

        await _scenario.Get<KeylessNoticeJob>().RunAsync(submission.Id, default);

        Assert.Single(ToDominique());
    }

    /// <summary>Minutes to the list, delivered, the submission completed, and the keyless notice job it queued run.</summary>
    private async Task<Submission> DeliverMinutesAsync(string variant = "")
    {
        var submission = (await _scenario.Get<DistributionService>().SubmitAsync("ag",
            new MinutesDocument(MinutesSubject + variant, MinutesText + variant), new SubmitOptions { Again = true })).Submission;
        Assert.Equal([0], await _scenario.Get<FanOut>().PlanBatchesAsync(submission.Id, default));
        Assert.IsType<BatchNext.Done>(await _scenario.Get<BatchDelivery>().DeliverAsync(submission.Id, 0, 0, default));
        await _scenario.Get<KeylessNoticeJob>().RunAsync(submission.Id, default); // what the Hangfire server would run
        return submission;
    }

    private List<MimeMessage> ToDominique() => _scenario.Provider.Accepted.Where(a => a.Recipient == Dominique).Select(a => a.Message).ToList();

    private static string Raw(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [GeneratedRegex(@"https://minutes\.example\.test/member/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
