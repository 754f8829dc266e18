using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Joining;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.Web.Resources;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>
/// A refused key is explained in the page's language (issue 11): Core gives the refusal a code beside its English message
/// (which the CLI prints unchanged), and the join and personal-link pages word it from the web app's resources, saying what
/// to do. Over HTTP and real SQLite, with the peer checker's fixture keys.
/// </summary>
public sealed class KeyRefusalTextTests(JoinTests.Fixture fixture) : IClassFixture<JoinTests.Fixture>
{
    private const string Camille = "camille@members.example.test";

    private WebAppFactory App => fixture.App;

    [Theory]
    [InlineData("expired", "expired@example.org", "Votre clé a expiré le ", "Modifier la date d'expiration")]
    [InlineData("revoked", "revoked@example.org", "Cette clé a été révoquée", "Créer une nouvelle clé OpenPGP")]
    [InlineData("signonly", "signonly@example.org", "Cette clé ne peut pas recevoir de courriel chiffré", "Créer une nouvelle clé OpenPGP")]
    [InlineData("rsa3072", "quelquun@example.org", "Cette clé n'est pas pour cette adresse (elle nomme : RSA3072 Test <rsa3072@example.org>)", "le compte de cette adresse")]
    public async Task FrenchJoinPage_SaysWhyTheKeyIsRefused_AndWhatToDo_InFrench(string key, string email, string reason, string whatToDo)
    {
        var list = await fixture.ListAsync("refusal-join-" + key);
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        using var client = App.Client();
        var page = await PostAsync(client, created.Link.AbsolutePath, new()
        {
            ["Email"] = email, ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.FixtureKey(key + ".pub.asc")),
        });

        var refusal = RefusalOf(page);
        Assert.StartsWith("Refusée, rien n'a été enregistré : ", refusal, StringComparison.Ordinal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.Contains(whatToDo, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("refused:", page, StringComparison.Ordinal); // Core's English message is not shown
    }

    [Fact]
    public async Task FrenchJoinPage_WritesTheExpiryDate_AsFrenchDoes()
    {
        var list = await fixture.ListAsync("refusal-join-date");
        var created = await App.Services.GetRequiredService<JoinInvites>().CreateAsync(list.Name, TimeSpan.FromDays(2), 300, needsApproval: false, "test");
        var armored = await File.ReadAllTextAsync(RepoPaths.FixtureKey("expired.pub.asc"));
        var expired = KeyAssessor.Assess(KeyFileReader.Read(System.Text.Encoding.ASCII.GetBytes(armored), "expired.pub.asc")[0].Certificate, DateTimeOffset.UtcNow);
        using var client = App.Client();
        var page = await PostAsync(client, created.Link.AbsolutePath, new() { ["Email"] = "expired@example.org", ["KeyText"] = armored });
        var day = expired.ProblemCode!.On!.Value.UtcDateTime.ToString("D", CultureInfo.GetCultureInfo("fr"));
        Assert.Contains($"Votre clé a expiré le {day} :", RefusalOf(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrenchMemberPage_SaysWhyANewKeyIsRefused_InFrench_AndTheLinkStillWorks()
    {
        var list = await fixture.ListAsync("refusal-member");
        var member = await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, Camille) ?? throw new InvalidOperationException("no camille");
        var token = (await App.Services.GetRequiredService<MemberLinks>().ForMembersAsync([member.Id]))[member.Id].Link.AbsolutePath.Split('/')[^1];
        using var client = App.Client();

        var otherAddress = await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.DemoKey("sacha.pub.asc")) });
        Assert.Contains("Refusée, rien n'a été enregistré : Cette clé n'est pas pour cette adresse", otherAddress, StringComparison.Ordinal);

        var expired = await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.FixtureKey("expired.pub.asc")) });
        Assert.Contains("Refusée, rien n'a été enregistré : Votre clé a expiré le ", expired, StringComparison.Ordinal);

        var notAKey = await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = "ma clé" });
        Assert.Contains("Ce n'est pas une clé publique OpenPGP.", notAKey, StringComparison.Ordinal);
        Assert.DoesNotContain("refused:", otherAddress + expired + notAKey, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRefusalCode_HasAnEnglishAndAFrenchText_WithTheSamePlaceholders()
    {
        var text = App.Services.GetRequiredService<IStringLocalizer<Text>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var code in Enum.GetValues<KeyProblemCode>())
            {
                var name = KeyProblemText.ResourceName(code);
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
                var english = text[name];
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
                var french = text[name];
                Assert.False(english.ResourceNotFound || french.ResourceNotFound, $"{name} has no text");
                Assert.NotEqual(english.Value, french.Value);
                Assert.Equal(english.Value.Contains("{0}", StringComparison.Ordinal), french.Value.Contains("{0}", StringComparison.Ordinal));
                Assert.Equal(english.Value.Contains("{1}", StringComparison.Ordinal), french.Value.Contains("{1}", StringComparison.Ordinal));
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static async Task<string> PostAsync(FormClient client, string path, Dictionary<string, string> fields)
    {
        client.Http.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var response = await client.PostFormAsync(path, fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The text of the page's refusal line.</summary>
    private static string RefusalOf(string page)
    {
        var start = page.IndexOf("id=\"key-refusal\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no refusal on the page");
        start += "id=\"key-refusal\">".Length;
        return page[start..page.IndexOf("</p>", start, StringComparison.Ordinal)];
    }
}
