using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;
using SecureMinutes.WebTests.Support;

namespace SecureMinutes.WebTests.Http;

/// <summary>
/// A member's personal link over HTTP and real SQLite (issue 11): the page shows their key and no address; a new key is
/// judged and confirmed by the two mails' links; leaving takes one tap; every form needs the antiforgery token.
/// </summary>
public sealed partial class MemberLinkTests(JoinTests.Fixture fixture) : IClassFixture<JoinTests.Fixture>
{
    private const string Camille = "camille@members.example.test";
    private WebAppFactory App => fixture.App;

    [Fact]
    public async Task NewKey_IsChallengedAtTheAddressOnFile_AndPinnedOnceBothLinksAreTapped()
    {
        var list = await fixture.ListAsync("member-update");
        var token = await LinkAsync(list, Camille);
        using var client = App.Client();
        var page = await client.GetPageAsync($"/member/{token}");
        Assert.Contains((await MemberAsync(list, Camille)).Fingerprint.Grouped, page, StringComparison.Ordinal);
        Assert.DoesNotContain("camille", MainOf(page), StringComparison.OrdinalIgnoreCase);

        var refused = await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = await File.ReadAllTextAsync(RepoPaths.DemoKey("sacha.pub.asc")) });
        Assert.Contains("Refused, nothing stored:", refused, StringComparison.Ordinal);

        using var gpg = new Gpg();
        Assert.Equal(0, (await gpg.RunAsync("--quick-gen-key", $"Camille <{Camille}>", "future-default", "default", "1y")).ExitCode);
        var newKey = (await gpg.RunAsync("--armor", "--export", Camille)).Stdout;
        var sent = await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = newKey });
        Assert.Contains("Done: open the link in the mail encrypted to your new key, and the one", sent, StringComparison.Ordinal);

        var (toNewKey, toOldKey) = (await LinkInAsync(list, "Confirmez votre nouvelle clé"), await LinkInAsync(list, "Votre clé pour"));
        Assert.Contains("Confirmed. Now open the link in the other mail", await PostAsync(client, toNewKey, new()), StringComparison.Ordinal);
        Assert.Contains("encrypted to your new key from now on", await PostAsync(client, toOldKey, new()), StringComparison.Ordinal);
        Assert.NotEqual(Fingerprint(await File.ReadAllTextAsync(RepoPaths.DemoKey("camille.pub.asc"))), (await MemberAsync(list, Camille)).Fingerprint.Hex);
        Assert.Contains("does not work", await PostAsync(client, toOldKey, new()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaleConfirmation_DoesNotOverwriteAKeyAnAdminPinnedMeanwhile()
    {
        var list = await fixture.ListAsync("member-stale");
        var token = await LinkAsync(list, Camille);
        using var client = App.Client();
        using var memberGpg = new Gpg();
        using var adminGpg = new Gpg();
        var asked = await NewKeyAsync(memberGpg);
        var pinnedByAdmin = await NewKeyAsync(adminGpg);
        Assert.Contains("Done: open the link", await PostAsync(client, $"/member/{token}?handler=Update", new() { ["KeyText"] = asked }), StringComparison.Ordinal);
        var (toNewKey, toOldKey) = (await LinkInAsync(list, "Confirmez votre nouvelle clé"), await LinkInAsync(list, "Votre clé pour"));

        // Meanwhile a list admin pins the member to another key (member add --replace).
        await App.Services.GetRequiredService<Membership>().ReplaceKeyAsync(list.Name, Camille, System.Text.Encoding.ASCII.GetBytes(pinnedByAdmin), "admin.asc",
            new MemberOptions(Actor: "admin-join@example.test"));

        Assert.Contains("Confirmed. Now open the link in the other mail", await PostAsync(client, toNewKey, new()), StringComparison.Ordinal);
        var stale = await PostAsync(client, toOldKey, new());
        Assert.Contains("Refused, nothing stored: Your key on this list was changed since you asked", stale, StringComparison.Ordinal);
        Assert.Equal(Fingerprint(pinnedByAdmin), (await MemberAsync(list, Camille)).Fingerprint.Hex);
        Assert.DoesNotContain(await App.Services.GetRequiredService<AuditStore>().ListAsync(list.Id, Camille),
            e => e.Action == "key-replaced" && e.NewFingerprint == Fingerprint(asked));
    }

    [Fact]
    public async Task Leave_TakesOneTap_AndDeletesTheMember()
    {
        var list = await fixture.ListAsync("member-leave");
        var token = await LinkAsync(list, Camille);
        using var client = App.Client();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostFormAsync($"/member/{token}?handler=Leave", [], withToken: false)).StatusCode);
        Assert.NotNull(await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, Camille));

        Assert.Contains("You have left List member-leave", await PostAsync(client, $"/member/{token}?handler=Leave", new()), StringComparison.Ordinal);
        Assert.Null(await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, Camille));
        Assert.Contains("This link does not work", await client.GetPageAsync($"/member/{token}"), StringComparison.Ordinal);
    }

    /// <summary>A new key for camille, made by gpg as a member's tools make it, armored.</summary>
    private static async Task<string> NewKeyAsync(Gpg gpg)
    {
        Assert.Equal(0, (await gpg.RunAsync("--quick-gen-key", $"Camille <{Camille}>", "future-default", "default", "1y")).ExitCode);
        return (await gpg.RunAsync("--armor", "--export", Camille)).Stdout;
    }

    private async Task<string> LinkAsync(MailingList list, string email)
    {
        var member = await MemberAsync(list, email);
        return (await App.Services.GetRequiredService<MemberLinks>().ForMembersAsync([member.Id]))[member.Id].Link.AbsolutePath.Split('/')[^1];
    }

    private async Task<Member> MemberAsync(MailingList list, string email) =>
        await App.Services.GetRequiredService<MemberStore>().FindAsync(list.Id, email) ?? throw new InvalidOperationException("no such member");

    /// <summary>The confirmation link of the list's newest notice whose subject starts so, read from its sealed content.</summary>
    private async Task<string> LinkInAsync(MailingList list, string subject)
    {
        foreach (var notice in await App.Services.GetRequiredService<SubmissionStore>().LatestAsync(list.Id, SubmissionKind.Notice, 10))
        {
            var payload = await App.Services.GetRequiredService<DistributionService>().OpenPayloadAsync(notice.Id);
            if (payload.Subject.StartsWith(subject, StringComparison.Ordinal))
            {
                return new Uri(KeyLink().Match(((TextPart)payload.BodyParts[0]).Text).Value).AbsolutePath;
            }
        }

        throw new InvalidOperationException($"no notice '{subject}'");
    }

    private static async Task<string> PostAsync(FormClient client, string path, Dictionary<string, string> fields)
    {
        client.Http.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var response = await client.PostFormAsync(path, fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string Fingerprint(string armored) =>
        SecureMinutes.Keys.Fingerprint.Of(SecureMinutes.Keys.KeyFileReader.Read(System.Text.Encoding.ASCII.GetBytes(armored), "key.asc")[0].Certificate.GetPublicKey()).Hex;

    private static string MainOf(string page) => page[page.IndexOf("<main", StringComparison.Ordinal)..page.IndexOf("</main>", StringComparison.Ordinal)];

    [GeneratedRegex("https://minutes\\.example\\.test/member/key/[A-Za-z0-9_-]+")]
    private static partial Regex KeyLink();
}
